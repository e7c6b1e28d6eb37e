import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CdcError } from '../../../common/errors.ts'
import { parseAvroSchema } from '../../../registry/avro-schema.ts'

const canonical = (schema: unknown): string =>
  parseAvroSchema(typeof schema === 'string' ? schema : JSON.stringify(schema)).canonical

function rejects(text: string, reason: RegExp): void {
  assert.throws(
    () => parseAvroSchema(text),
    (error: unknown) => {
      assert.ok(error instanceof CdcError)
      assert.equal(error.code, 'CDC_REG_INVALID_SCHEMA')
      assert.match(error.message, reason)
      return true
    },
  )
}

describe('registry/avro-schema', () => {
  it('refuses text that is not JSON, or JSON that is not Avro, with CDC_REG_INVALID_SCHEMA', () => {
    rejects('{"type": "record"', /not JSON/)
    rejects('{"type": "recordx", "name": "R"}', /unknown type/)
    rejects('{"type": "record", "fields": []}', /missing name/)
    rejects('{"type": "record", "name": "R", "fields": [{"name": "a", "type": "nope"}]}', /nope/)
    rejects(
      '{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "default": "x"}]}',
      /default/,
    )
    rejects('{"type": "enum", "name": "E", "symbols": ["A", "A"]}', /duplicate/)
    rejects('42', /unknown type/)
  })

  it('gives the same canonical text whatever the whitespace and key order', () => {
    const compact = '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}'
    const spaced = `{
      "fields": [ { "type": "int", "name": "a" } ],
      "name": "R",
      "type": "record"
    }`
    assert.equal(canonical(spaced), canonical(compact))
    assert.equal(canonical(compact), compact)
  })

  it('treats equivalent spellings of names and primitives as the same schema', () => {
    const qualified = {
      type: 'record',
      name: 'a.b.R',
      fields: [{ name: 'x', type: { type: 'int' } }],
    }
    const split = {
      type: 'record',
      name: 'R',
      namespace: 'a.b',
      fields: [{ name: 'x', type: 'int' }],
    }
    assert.equal(canonical(qualified), canonical(split))
    assert.equal(
      canonical(split),
      '{"type":"record","name":"R","namespace":"a.b","fields":[{"name":"x","type":"int"}]}',
    )
    const ascending = { ...split, fields: [{ name: 'x', type: 'int', order: 'ascending' }] }
    assert.equal(canonical(ascending), canonical(split))
  })

  it('writes nested names relative to the enclosing namespace, as Java Avro does', () => {
    const schema = {
      type: 'record',
      name: 'Envelope',
      namespace: 'db.public.t',
      fields: [
        {
          name: 'before',
          type: ['null', { type: 'record', name: 'Value', fields: [{ name: 'id', type: 'int' }] }],
        },
        { name: 'after', type: ['null', 'db.public.t.Value'] },
        { name: 'source', type: { type: 'record', name: 'io.debezium.Source', fields: [] } },
      ],
    }
    const text = canonical(schema)
    assert.equal(
      text,
      '{"type":"record","name":"Envelope","namespace":"db.public.t","fields":[' +
        '{"name":"before","type":["null",{"type":"record","name":"Value","fields":[{"name":"id","type":"int"}]}]},' +
        '{"name":"after","type":["null","Value"]},' +
        '{"name":"source","type":{"type":"record","name":"Source","namespace":"io.debezium","fields":[]}}]}',
    )
    assert.equal(canonical(text), text, 'the canonical text is its own canonical form')
  })

  it('keeps docs, defaults, aliases and custom properties, so they make a different schema', () => {
    const base = { type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }] }
    const variants = [
      { ...base, doc: 'the R' },
      { ...base, fields: [{ name: 'a', type: 'int', default: 0 }] },
      { ...base, fields: [{ name: 'a', type: 'int', aliases: ['b'] }] },
      { ...base, 'connect.name': 'R' },
      { ...base, fields: [{ name: 'a', type: { type: 'int', 'connect.type': 'int16' } }] },
    ]
    const texts = new Set([canonical(base), ...variants.map(canonical)])
    assert.equal(texts.size, variants.length + 1)
  })

  it('sorts custom properties and object defaults by key', () => {
    const one = {
      type: 'record',
      name: 'R',
      'connect.version': 1,
      'connect.name': 'R',
      fields: [
        {
          name: 'd',
          type: { type: 'bytes', scale: 2, precision: 10, logicalType: 'decimal' },
        },
        {
          name: 'n',
          type: {
            type: 'record',
            name: 'N',
            fields: [
              { name: 'x', type: 'int' },
              { name: 'y', type: 'int' },
            ],
          },
          default: { y: 2, x: 1 },
        },
      ],
    }
    const text = canonical(one)
    assert.match(text, /"connect\.name":"R","connect\.version":1/)
    assert.match(text, /\{"type":"bytes","logicalType":"decimal","precision":10,"scale":2\}/)
    assert.match(text, /"default":\{"x":1,"y":2\}/)
  })

  it('keeps the enum default and the fixed size, and writes primitives with properties as objects', () => {
    assert.equal(
      canonical({ symbols: ['A', 'B'], default: 'A', name: 'E', type: 'enum' }),
      '{"type":"enum","name":"E","symbols":["A","B"],"default":"A"}',
    )
    assert.equal(
      canonical({ size: 16, name: 'F', type: 'fixed' }),
      '{"type":"fixed","name":"F","size":16}',
    )
    assert.equal(
      canonical({ type: 'long', logicalType: 'timestamp-millis' }),
      '{"type":"long","logicalType":"timestamp-millis"}',
    )
    assert.equal(canonical('"string"'), '"string"')
    assert.equal(
      canonical({ type: 'array', items: { type: 'map', values: 'long' } }),
      '{"type":"array","items":{"type":"map","values":"long"}}',
    )
  })
})
