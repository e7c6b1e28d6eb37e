import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../../../common/errors.ts'
import { Decimal } from '../../../../../envelope/connect-schema.ts'
import { jsonToText } from '../../../../../connectors/mysql/protocol/json-text.ts'

describe('jsonToText', () => {
  it('prints compact JSON in stored member order', () => {
    const doc = new Map<string, unknown>([
      ['b', [1n, 2.5, null, true, false]],
      ['a', new Map([['x', 'y"z']])],
    ])
    assert.equal(
      jsonToText(doc as Parameters<typeof jsonToText>[0]),
      '{"b":[1,2.5,null,true,false],"a":{"x":"y\\"z"}}',
    )
  })

  it('keeps whole doubles recognisable as doubles, and integers exact', () => {
    assert.equal(jsonToText(1), '1.0')
    assert.equal(jsonToText(-0), '0.0')
    assert.equal(jsonToText(1e21), '1e+21')
    assert.equal(jsonToText(18446744073709551615n), '18446744073709551615')
  })

  it('prints decimals exactly and temporals as MySQL does inside JSON', () => {
    assert.equal(
      jsonToText(new Decimal(-123456789012345678901234567890n, 10)),
      '-12345678901234567890.1234567890',
    )
    assert.equal(jsonToText({ kind: 'date', year: 2020, month: 1, day: 2 }), '"2020-01-02"')
    assert.equal(
      jsonToText({
        kind: 'datetime',
        year: 2020,
        month: 1,
        day: 2,
        hour: 3,
        minute: 4,
        second: 5,
        microsecond: 6,
      }),
      '"2020-01-02 03:04:05.000006"',
    )
    assert.equal(
      jsonToText({
        kind: 'time',
        negative: true,
        hours: 100,
        minutes: 0,
        seconds: 1,
        microseconds: 0,
      }),
      '"-100:00:01.000000"',
    )
    assert.equal(
      jsonToText({ kind: 'opaque', type: 16, bytes: Buffer.from([1, 2]) }),
      '"base64:type16:AQI="',
    )
  })

  it('refuses non-finite doubles, which JSON cannot hold', () => {
    assert.throws(
      () => jsonToText(Number.NaN),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_INVALID',
    )
  })
})
