import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import avsc from 'avsc'
import { isCdcError } from '../../../common/errors.ts'
import { avroSchemaText, toAvroSchema } from '../../../envelope/avro-schema.ts'
import { createAvscType } from '../../../envelope/avro-types.ts'
import type { ConnectSchema, StructSchema } from '../../../envelope/connect-schema.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import {
  envelopeSchemaFor,
  keySchemaFor,
  valueSchemaFor,
} from '../../../envelope/envelope-schemas.ts'
import * as types from '../../../envelope/semantic-types.ts'
import type { TableSchema } from '../../../envelope/table-schema.ts'
import { ordersTable, pgSource } from './fixtures.ts'

const column = (name: string, schema: ConnectSchema) => ({ name, schema, sourceType: 'x' })
const opt = { optional: true }

/** A PostgreSQL table with the types Debezium's PostgresValueConverter maps by default. */
const items: TableSchema = {
  id: { database: 'shop', schema: 'public', table: 'items' },
  topic: 'srv.public.items',
  keyColumns: ['id'],
  columns: [
    column('id', { type: 'int64', optional: false }),
    column('small', { type: 'int16', optional: true }),
    column('tiny', { type: 'int8', optional: false }),
    column('qty', { type: 'int32', optional: false, default: 1 }),
    column('price', types.connectDecimal(2, 10, opt)),
    column('amount', types.variableScaleDecimal(opt)),
    column('amount2', types.variableScaleDecimal(opt)),
    column('created', types.timestamp()),
    column('updated', types.microTimestamp(opt)),
    column('seen_at', types.zonedTimestamp(opt)),
    column('doc', types.json(opt)),
    column('uid', types.uuid()),
    column('status', types.enumeration(['new', 'paid', 'shipped'], opt)),
    column('tags', { type: 'array', optional: true, items: { type: 'string', optional: true } }),
    column('scores', { type: 'array', optional: false, items: { type: 'int32', optional: true } }),
    column('payload', { type: 'bytes', optional: true }),
    column('flag', { type: 'boolean', optional: false, default: false }),
    column('ratio', { type: 'float32', optional: true, default: 0.1 }),
    column('big', { type: 'int64', optional: false, default: 9007199254740993n }),
    column('fee', types.connectDecimal(2, 5, { default: Decimal.parse('1.50') })),
    column('money', types.connectDecimal(2)),
    column('day', types.date(opt)),
    column('cd', types.connectDate()),
    column('ct', types.connectTime()),
    column('cts', types.connectTimestamp(opt)),
    column('mask', types.bits(12, opt)),
  ],
}

const decimalProps = (scale: number, precision: number, parameters: string) =>
  `"scale":${scale},"precision":${precision},"connect.version":1,` +
  `"connect.parameters":{${parameters}},`

const expectedValue =
  '["null",{"type":"record","name":"Value","namespace":"srv.public.items","fields":[' +
  '{"name":"id","type":"long"},' +
  '{"name":"small","type":["null",{"type":"int","connect.type":"int16"}],"default":null},' +
  '{"name":"tiny","type":{"type":"int","connect.type":"int8"}},' +
  '{"name":"qty","type":{"type":"int","connect.default":1},"default":1},' +
  '{"name":"price","type":["null",{"type":"bytes",' +
  decimalProps(2, 10, '"scale":"2","connect.decimal.precision":"10"') +
  '"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}],"default":null},' +
  '{"name":"amount","type":["null",{"type":"record","name":"VariableScaleDecimal",' +
  '"namespace":"io.debezium.data","fields":[{"name":"scale","type":"int"},' +
  '{"name":"value","type":"bytes"}],"connect.doc":"Variable scaled decimal",' +
  '"connect.version":1,"connect.name":"io.debezium.data.VariableScaleDecimal"}],"default":null},' +
  '{"name":"amount2","type":["null","io.debezium.data.VariableScaleDecimal"],"default":null},' +
  '{"name":"created","type":{"type":"long","connect.version":1,"connect.name":"io.debezium.time.Timestamp"}},' +
  '{"name":"updated","type":["null",{"type":"long","connect.version":1,' +
  '"connect.name":"io.debezium.time.MicroTimestamp"}],"default":null},' +
  '{"name":"seen_at","type":["null",{"type":"string","connect.version":1,' +
  '"connect.name":"io.debezium.time.ZonedTimestamp"}],"default":null},' +
  '{"name":"doc","type":["null",{"type":"string","connect.version":1,' +
  '"connect.name":"io.debezium.data.Json"}],"default":null},' +
  '{"name":"uid","type":{"type":"string","connect.version":1,"connect.name":"io.debezium.data.Uuid"}},' +
  '{"name":"status","type":["null",{"type":"string","connect.version":1,' +
  '"connect.parameters":{"allowed":"new,paid,shipped"},"connect.name":"io.debezium.data.Enum"}],' +
  '"default":null},' +
  '{"name":"tags","type":["null",{"type":"array","items":["null","string"]}],"default":null},' +
  '{"name":"scores","type":{"type":"array","items":["null","int"]}},' +
  '{"name":"payload","type":["null","bytes"],"default":null},' +
  '{"name":"flag","type":{"type":"boolean","connect.default":false},"default":false},' +
  '{"name":"ratio","type":[{"type":"float","connect.default":0.1},"null"],' +
  '"default":0.10000000149011612},' +
  '{"name":"big","type":{"type":"long","connect.default":9007199254740993},' +
  '"default":9007199254740993},' +
  '{"name":"fee","type":{"type":"bytes",' +
  decimalProps(2, 5, '"scale":"2","connect.decimal.precision":"5"') +
  '"connect.default":"\\u0000\u0096","connect.name":"org.apache.kafka.connect.data.Decimal",' +
  '"logicalType":"decimal"},"default":"\\u0000\u0096"},' +
  '{"name":"money","type":{"type":"bytes",' +
  decimalProps(2, 64, '"scale":"2"') +
  '"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}},' +
  '{"name":"day","type":["null",{"type":"int","connect.version":1,' +
  '"connect.name":"io.debezium.time.Date"}],"default":null},' +
  '{"name":"cd","type":{"type":"int","connect.version":1,' +
  '"connect.name":"org.apache.kafka.connect.data.Date","logicalType":"date"}},' +
  '{"name":"ct","type":{"type":"int","connect.version":1,' +
  '"connect.name":"org.apache.kafka.connect.data.Time","logicalType":"time-millis"}},' +
  '{"name":"cts","type":["null",{"type":"long","connect.version":1,' +
  '"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}],' +
  '"default":null},' +
  '{"name":"mask","type":["null",{"type":"bytes","connect.version":1,' +
  '"connect.parameters":{"length":"12"},"connect.name":"io.debezium.data.Bits"}],"default":null}' +
  '],"connect.name":"srv.public.items.Value"}]'

const struct = (name: string, fields: StructSchema['fields'], optional = false): StructSchema => ({
  type: 'struct',
  optional,
  name,
  fields,
})

function rejectsWith(run: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(
    run,
    (error) => isCdcError(error) && error.code === code && pattern.test(error.message),
  )
}

describe('envelope/avro-schema', () => {
  it('maps a PostgreSQL table value exactly as AvroData does', () => {
    assert.equal(avroSchemaText(valueSchemaFor(items)), expectedValue)
  })

  it('maps the key and names the envelope after the topic', () => {
    assert.equal(
      avroSchemaText(keySchemaFor(items) as StructSchema),
      '{"type":"record","name":"Key","namespace":"srv.public.items","fields":[{"name":"id","type":"long"}],' +
        '"connect.name":"srv.public.items.Key"}',
    )
    const envelope = avroSchemaText(envelopeSchemaFor(items, pgSource))
    assert.ok(
      envelope.startsWith(
        '{"type":"record","name":"Envelope","namespace":"srv.public.items","fields":[' +
          '{"name":"before","type":["null",{"type":"record","name":"Value","fields":[',
      ),
    )
    assert.ok(envelope.includes('{"name":"after","type":["null","Value"],"default":null}'))
    assert.ok(
      envelope.includes(
        '{"name":"source","type":{"type":"record","name":"Source","namespace":"io.debezium.connector.postgresql",',
      ),
    )
    assert.ok(
      envelope.endsWith(
        '{"name":"op","type":"string"},{"name":"ts_ms","type":["null","long"],"default":null},' +
          '{"name":"ts_us","type":["null","long"],"default":null},' +
          '{"name":"ts_ns","type":["null","long"],"default":null}],' +
          '"connect.version":2,"connect.name":"srv.public.items.Envelope"}',
      ),
    )
  })

  it('produces schemas that Avro parsers accept', () => {
    // Plain avsc refuses long defaults past 2^53, so the table with one goes through ours.
    const plain = avsc.Type.forSchema(
      JSON.parse(avroSchemaText(envelopeSchemaFor(ordersTable, pgSource))) as avsc.Schema,
    )
    assert.equal(plain.name, 'srv.public.orders.Envelope')
    const ours = createAvscType(toAvroSchema(envelopeSchemaFor(items, pgSource)))
    assert.equal(ours.name, 'srv.public.items.Envelope')
  })

  it('writes a nested record without namespace inside a namespaced one with namespace ""', () => {
    const inner = struct('Inner', [{ name: 'a', schema: { type: 'int32', optional: false } }])
    const text = avroSchemaText(struct('x.Outer', [{ name: 'in', schema: inner }]))
    assert.equal(
      text,
      '{"type":"record","name":"Outer","namespace":"x","fields":[{"name":"in","type":' +
        '{"type":"record","name":"Inner","namespace":"","fields":[{"name":"a","type":"int"}],' +
        '"connect.name":"Inner"}}],"connect.name":"x.Outer"}',
    )
  })

  it('turns maps into Avro maps, or into arrays of MapEntry records for other keys', () => {
    const stringMap: ConnectSchema = {
      type: 'map',
      optional: false,
      keys: { type: 'string', optional: false },
      values: { type: 'int64', optional: true },
    }
    assert.equal(avroSchemaText(stringMap), '{"type":"map","values":["null","long"]}')
    const intMap: ConnectSchema = {
      type: 'map',
      optional: false,
      keys: { type: 'int16', optional: false },
      values: { type: 'float64', optional: false },
    }
    assert.equal(
      avroSchemaText(intMap),
      '{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro",' +
        '"fields":[{"name":"key","type":{"type":"int","connect.type":"int16"}},{"name":"value","type":"double"}]}}',
    )
    const named = { ...intMap, name: 'a.Sparse', version: 1 }
    assert.equal(
      avroSchemaText(named),
      '{"type":"array","items":{"type":"record","name":"Sparse","namespace":"a","fields":[' +
        '{"name":"key","type":{"type":"int","connect.type":"int16"}},{"name":"value","type":"double"}],' +
        '"connect.internal.type":"MapEntry"},"connect.version":1,"connect.name":"a.Sparse"}',
    )
  })

  it('drops the field default of an optional struct, since Avro puts null first', () => {
    const point = types.point({ optional: true, default: { x: 1, y: 2, wkb: null, srid: null } })
    const text = avroSchemaText(struct('p.Row', [{ name: 'at', schema: point }]))
    assert.ok(text.includes('"connect.default":{"x":1.0,"y":2.0,"wkb":null,"srid":null}'), text)
    assert.ok(!text.includes('"default":{'), text)
  })

  it('repeats parameters on a later field that refers to an already written record', () => {
    const tagged = { ...types.geography(), parameters: { srid: '4326' } }
    const text = avroSchemaText(
      struct('g.Row', [
        { name: 'a', schema: tagged },
        { name: 'b', schema: tagged },
      ]),
    )
    assert.ok(
      text.includes(
        '{"name":"b","type":"io.debezium.data.geometry.Geography","connect.parameters":{"srid":"4326"}}',
      ),
      text,
    )
  })

  it('refuses two different structs under one record name', () => {
    const one = struct('dup.Thing', [{ name: 'a', schema: { type: 'int32', optional: false } }])
    const two = struct('dup.Thing', [{ name: 'b', schema: { type: 'int32', optional: false } }])
    rejectsWith(
      () =>
        toAvroSchema(
          struct('dup.Row', [
            { name: 'x', schema: one },
            { name: 'y', schema: two },
          ]),
        ),
      'CDC_ENVELOPE_UNSUPPORTED_TYPE',
      /dup\.Thing/,
    )
  })

  it('refuses names Avro cannot hold', () => {
    rejectsWith(
      () => toAvroSchema(struct('srv.public.order-items.Value', [])),
      'CDC_ENVELOPE_INVALID_NAME',
      /order-items/,
    )
    rejectsWith(
      () =>
        toAvroSchema(
          struct('srv.t.Value', [
            { name: 'unit price', schema: { type: 'int32', optional: false } },
          ]),
        ),
      'CDC_ENVELOPE_INVALID_NAME',
      /"unit price"/,
    )
    rejectsWith(
      () =>
        toAvroSchema({ type: 'bytes', optional: false, name: types.semanticNames.connectDecimal }),
      'CDC_ENVELOPE_UNSUPPORTED_TYPE',
      /scale/,
    )
  })

  it('falls back to the legacy decimal form when the scale exceeds the precision', () => {
    assert.equal(
      avroSchemaText(types.connectDecimal(5, 3)),
      '{"type":"bytes",' +
        decimalProps(5, 3, '"scale":"5","connect.decimal.precision":"3"') +
        '"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    )
  })

  it('caches one tree per schema object', () => {
    const schema = valueSchemaFor(items)
    assert.equal(toAvroSchema(schema), toAvroSchema(schema))
  })
})
