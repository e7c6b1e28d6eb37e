import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  civilFromEpochDay,
  epochDay,
  intervalMicros,
  parseDate,
  parseTimestampMicros,
  parseTimeWithZone,
  zonedTimestampText,
  zonedTimeText,
} from '../../../../../connectors/postgres/type-mapping/temporal-text.ts'

describe('connectors/postgres/type-mapping/temporal-text', () => {
  it('counts epoch days both ways, across leap years and BC', () => {
    assert.equal(epochDay({ year: 1970, month: 1, day: 1 }), 0)
    assert.equal(epochDay({ year: 2000, month: 3, day: 1 }), 11017)
    assert.equal(epochDay({ year: 1969, month: 12, day: 31 }), -1)
    assert.deepEqual(parseDate('0001-01-01 BC'), { year: 0, month: 1, day: 1 })
    for (const days of [-800000, -1, 0, 59, 19782, 2932896])
      assert.equal(epochDay(civilFromEpochDay(days)), days)
  })

  it('reads timestamps as UTC, applying offsets, before 1970 and after 9999', () => {
    assert.equal(parseTimestampMicros('1970-01-01 00:00:00'), 0n)
    assert.equal(parseTimestampMicros('1969-12-31 23:59:59.999999'), -1n)
    assert.equal(parseTimestampMicros('1970-01-01 02:00:00+02'), 0n)
    assert.equal(parseTimestampMicros('1970-01-01 00:00:00-05:30'), 19_800_000_000n)
    assert.equal(
      zonedTimestampText(parseTimestampMicros('10000-01-01 00:00:00+00'), 0),
      '+10000-01-01T00:00:00Z',
    )
    assert.equal(zonedTimestampText(-1n, 6), '1969-12-31T23:59:59.999999Z')
  })

  it('writes ZonedTime like Java: no trailing zeros in the fraction, wrapped into the day', () => {
    assert.equal(zonedTimeText(parseTimeWithZone('01:00:00.120+02')), '23:00:00.12Z')
    assert.equal(zonedTimeText(parseTimeWithZone('23:30:00-01')), '00:30:00Z')
  })

  it("computes MicroDuration with Debezium's double arithmetic, negative parts included", () => {
    assert.equal(intervalMicros('PT0S'), 0n)
    assert.equal(intervalMicros('P1M'), 2_629_800_000_000n)
    assert.equal(intervalMicros('PT-1.5S'), -1_500_000n)
    assert.equal(
      intervalMicros('P-1Y-2M3DT-4H'),
      BigInt(Math.trunc(((-14 * (365.25 / 12) + 3) * 24 - 4) * 60 * 60 * 1e6)),
    )
    assert.throws(() => intervalMicros('1 day'), { code: 'CDC_ENVELOPE_INVALID_VALUE' })
  })
})
