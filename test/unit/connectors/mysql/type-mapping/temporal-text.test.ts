import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  epochDay,
  epochNanos,
  parseDateTimeText,
  parseTimeText,
  timeNanos,
  zonedTimestampText,
} from '../../../../../connectors/mysql/type-mapping/temporal-text.ts'
import { compactJsonText } from '../../../../../connectors/mysql/type-mapping/json-text.ts'

describe('connectors/mysql/type-mapping/temporal-text', () => {
  it('counts days like Java LocalDate.toEpochDay, far before and after 1970', () => {
    assert.equal(epochDay({ year: 1970, month: 1, day: 1 }), 0)
    assert.equal(epochDay({ year: 2000, month: 3, day: 1 }), 11017)
    assert.equal(epochDay({ year: 1, month: 1, day: 1 }), -719162)
    assert.equal(epochDay({ year: 9999, month: 12, day: 31 }), 2932896)
    assert.equal(
      epochDay({ year: 1900, month: 2, day: 28 }) + 1,
      epochDay({ year: 1900, month: 3, day: 1 }),
    )
  })

  it('parses the text protocol forms', () => {
    assert.deepEqual(parseDateTimeText('2024-01-02 03:04:05.5'), {
      year: 2024,
      month: 1,
      day: 2,
      hour: 3,
      minute: 4,
      second: 5,
      microsecond: 500000,
    })
    assert.equal(epochNanos(parseDateTimeText('1969-12-31 23:59:59.999999')), -1000n)
    assert.equal(timeNanos(parseTimeText('-00:00:01')), -1_000_000_000n)
    assert.equal(timeNanos(parseTimeText('838:59:59.000001')), 3_020_399_000_001_000n)
    assert.throws(() => parseTimeText('12:00'), /not a TIME/)
    assert.throws(() => parseDateTimeText('2024-01-02'), /not a DATETIME/)
  })

  it('prints ZonedTimestamp text with the fraction to the column precision', () => {
    assert.equal(zonedTimestampText(0, 0, 0), '1970-01-01T00:00:00Z')
    assert.equal(zonedTimestampText(2147483647, 123400, 4), '2038-01-19T03:14:07.1234Z')
  })

  it('compacts MySQL JSON text outside strings only', () => {
    assert.equal(compactJsonText('{"a": [1, 2], "b c": "d \\" e"}'), '{"a":[1,2],"b c":"d \\" e"}')
  })
})
