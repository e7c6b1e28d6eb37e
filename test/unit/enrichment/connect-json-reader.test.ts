import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import type { ConnectSchema, ConnectValue } from '../../../envelope/connect-schema.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import { connectJsonSchema, toConnectJsonText } from '../../../envelope/json-format.ts'
import { stringifyJson } from '../../../envelope/java-json.ts'
import { connectDecimal, microTimestamp } from '../../../envelope/semantic-types.ts'
import {
  connectSchemaFromJson,
  connectValueFromJson,
  schemalessValue,
} from '../../../enrichment/connect-json-reader.ts'
import { parseExactJson } from '../../../enrichment/exact-json.ts'

const schema: ConnectSchema = {
  type: 'struct',
  optional: false,
  name: 'shop.Row',
  version: 3,
  doc: 'a row',
  fields: [
    { name: 'id', schema: { type: 'int64', optional: false } },
    { name: 'small', schema: { type: 'int16', optional: true } },
    { name: 'ratio', schema: { type: 'float64', optional: true } },
    { name: 'single', schema: { type: 'float32', optional: true } },
    { name: 'price', schema: connectDecimal(3, 20, { optional: true }) },
    { name: 'at', schema: microTimestamp({ optional: true }) },
    { name: 'raw', schema: { type: 'bytes', optional: true } },
    {
      name: 'tags',
      schema: { type: 'array', optional: true, items: { type: 'string', optional: false } },
    },
    {
      name: 'attrs',
      schema: {
        type: 'map',
        optional: true,
        keys: { type: 'string', optional: false },
        values: { type: 'int32', optional: false },
      },
    },
    {
      name: 'grid',
      schema: {
        type: 'map',
        optional: true,
        keys: { type: 'int32', optional: false },
        values: { type: 'boolean', optional: false },
      },
    },
    { name: 'status', schema: { type: 'string', optional: false, default: 'new' } },
  ],
}

const value: ConnectValue = {
  id: -(2n ** 63n),
  small: -7,
  ratio: Number.NaN,
  single: 1.5,
  price: new Decimal(-123456789012345678901n, 3),
  at: 1_700_000_000_123_456n,
  raw: new Uint8Array([1, 2, 250]),
  tags: ['a', 'b'],
  attrs: new Map([['x', 1]]),
  grid: new Map([[3 as unknown as string, true]]),
  status: 'open',
}

describe('enrichment/connect-json-reader', () => {
  it('reads back what JsonConverter writes, schema and payload', () => {
    for (const decimalFormat of ['BASE64', 'NUMERIC'] as const) {
      const text = toConnectJsonText({ schema, value }, { decimalFormat }) ?? ''
      const node = parseExactJson(text)
      assert.ok(
        typeof node === 'object' && node !== null && !Array.isArray(node) && 'schema' in node,
      )
      const envelope = node as {
        schema: Parameters<typeof connectSchemaFromJson>[0]
        payload: Parameters<typeof connectSchemaFromJson>[0]
      }
      const read = connectSchemaFromJson(envelope.schema, 'test')
      assert.equal(stringifyJson(connectJsonSchema(read)), stringifyJson(connectJsonSchema(schema)))
      assert.deepEqual(connectValueFromJson(read, envelope.payload, 'test'), value)
    }
  })

  it('fills defaults for nulls and rejects nulls in required fields', () => {
    const read = connectSchemaFromJson(
      parseExactJson(stringifyJson(connectJsonSchema(schema))),
      'test',
    )
    const row = connectValueFromJson(
      read,
      parseExactJson('{"id":1,"status":null}'),
      'test',
    ) as Record<string, ConnectValue>
    assert.equal(row.status, 'new')
    assert.equal(row.small, null)
    assert.throws(
      () => connectValueFromJson(read, parseExactJson('{"id":null}'), 'row'),
      (error) =>
        isCdcError(error) &&
        error.code === 'CDC_ENRICH_INPUT_INVALID' &&
        /row\.id: null for a required field/.test(error.message),
    )
    assert.throws(
      () => connectValueFromJson(read, parseExactJson('{"id":1.5}'), 'row'),
      /expected an integer/,
    )
  })

  it('reads schemaless payloads with exact big integers', () => {
    assert.deepEqual(
      schemalessValue(parseExactJson('{"a":9007199254740993,"b":12,"c":1.25,"d":[true,null,"x"]}')),
      {
        a: 9007199254740993n,
        b: 12,
        c: 1.25,
        d: [true, null, 'x'],
      },
    )
  })

  it('rejects schemas it does not know', () => {
    assert.throws(
      () => connectSchemaFromJson(parseExactJson('{"type":"decimal"}'), 's'),
      /unknown schema type/,
    )
    assert.throws(
      () =>
        connectSchemaFromJson(parseExactJson('{"type":"struct","fields":[{"type":"int32"}]}'), 's'),
      /no "field" name/,
    )
  })
})
