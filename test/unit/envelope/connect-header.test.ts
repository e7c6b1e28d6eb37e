import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { StructSchema } from '../../../envelope/connect-schema.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import { connectHeaderText } from '../../../envelope/connect-header.ts'
import { connectDate, connectDecimal, connectTimestamp } from '../../../envelope/semantic-types.ts'

describe('envelope/connect-header', () => {
  it('writes a key struct as SimpleHeaderConverter does', () => {
    const key: StructSchema = {
      type: 'struct',
      optional: false,
      name: 'db.t.Key',
      fields: [
        { name: 'id', schema: { type: 'int64', optional: false } },
        { name: 'code', schema: { type: 'string', optional: false } },
        { name: 'ratio', schema: { type: 'float64', optional: true } },
        { name: 'amount', schema: connectDecimal(2) },
        { name: 'raw', schema: { type: 'bytes', optional: true } },
        { name: 'gone', schema: { type: 'int32', optional: true } },
      ],
    }
    const text = connectHeaderText(key, {
      id: 9007199254740993n,
      code: 'a"b\\c',
      ratio: 1,
      amount: Decimal.parse('-1.50'),
      raw: Uint8Array.from([1, 2, 3]),
      gone: null,
    })
    assert.equal(
      text,
      '{"id":9007199254740993,"code":"a\\"b\\\\c","ratio":1.0,"amount":-1.50,"raw":"AQID","gone":null}',
    )
  })

  it('writes top-level strings bare and nested collections with commas', () => {
    assert.equal(connectHeaderText({ type: 'string', optional: false }, 'plain "x"'), 'plain "x"')
    assert.equal(
      connectHeaderText(
        { type: 'array', optional: false, items: { type: 'float32', optional: false } },
        [0.1, 2],
      ),
      '[0.1,2.0]',
    )
  })

  it('formats Connect dates and timestamps like Values.dateFormatFor in UTC', () => {
    assert.equal(connectHeaderText(connectDate(), 19000), '2022-01-08')
    assert.equal(
      connectHeaderText(connectTimestamp(), 1_700_000_000_123n),
      '2023-11-14T22:13:20.123Z',
    )
  })
})
