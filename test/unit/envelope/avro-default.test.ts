import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { avroDefault } from '../../../envelope/avro-default.ts'
import type { ConnectSchema } from '../../../envelope/connect-schema.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import { stringifyJson } from '../../../envelope/java-json.ts'
import { connectDecimal } from '../../../envelope/semantic-types.ts'

const json = (schema: ConnectSchema, value: Parameters<typeof avroDefault>[1], forField = false) =>
  stringifyJson(avroDefault(schema, value, forField))

describe('envelope/avro-default', () => {
  it('writes floats as Float.toString for connect.default, widened to double for the field', () => {
    const float: ConnectSchema = { type: 'float32', optional: false }
    assert.equal(json(float, 0.1), '0.1')
    assert.equal(json(float, 0.1, true), '0.10000000149011612')
    assert.equal(json({ type: 'float64', optional: false }, 2, true), '2.0')
  })

  it('writes bytes and decimals as ISO-8859-1 strings of the bytes', () => {
    assert.equal(
      json({ type: 'bytes', optional: false }, Uint8Array.from([0, 0xe9, 0x41])),
      '"\\u0000éA"',
    )
    assert.equal(json(connectDecimal(3), Decimal.parse('-1.5')), '"ú$"')
  })

  it('writes int64 exactly, maps as objects or pairs, and structs with their field defaults', () => {
    assert.equal(json({ type: 'int64', optional: false }, 2n ** 63n - 1n), '9223372036854775807')
    const pairs: ConnectSchema = {
      type: 'map',
      optional: false,
      keys: { type: 'int32', optional: false },
      values: { type: 'string', optional: false },
    }
    assert.equal(json(pairs, new Map([[1 as unknown as string, 'a']])), '[[1,"a"]]')
    const struct: ConnectSchema = {
      type: 'struct',
      optional: false,
      name: 's.S',
      fields: [
        { name: 'b', schema: { type: 'int32', optional: true, default: 7 } },
        { name: 'a', schema: { type: 'string', optional: true } },
      ],
    }
    assert.equal(json(struct, { b: null, a: 'x' }), '{"b":7,"a":"x"}')
    assert.equal(json(struct, null), 'null')
  })
})
