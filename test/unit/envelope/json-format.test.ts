import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import type { ConnectSchema, StructSchema } from '../../../envelope/connect-schema.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import { buildChangeRecords } from '../../../envelope/debezium-envelope.ts'
import {
  connectJsonSchemaText,
  toConnectJson,
  toConnectJsonText,
} from '../../../envelope/json-format.ts'
import * as types from '../../../envelope/semantic-types.ts'
import type { TableSchema } from '../../../envelope/table-schema.ts'
import { pgSource } from './fixtures.ts'

const text: ConnectSchema = { type: 'string', optional: false }

/** inventory.customers from Debezium's tutorial, as a Debezium 3.1 connector captured it. */
const customers: TableSchema = {
  id: { database: 'postgres', schema: 'inventory', table: 'customers' },
  topic: 'dbserver1.inventory.customers',
  keyColumns: ['id'],
  columns: [
    { name: 'id', schema: { type: 'int32', optional: false, default: 0 }, sourceType: 'int4' },
    { name: 'first_name', schema: text, sourceType: 'varchar' },
    { name: 'last_name', schema: text, sourceType: 'varchar' },
    { name: 'email', schema: text, sourceType: 'varchar' },
  ],
}

const valueFields =
  '{"type":"int32","optional":false,"default":0,"field":"id"},' +
  '{"type":"string","optional":false,"field":"first_name"},' +
  '{"type":"string","optional":false,"field":"last_name"},' +
  '{"type":"string","optional":false,"field":"email"}'

// Debezium 3.1.3 output for an UPDATE, as JsonConverter wrote it to Kafka.
const debeziumUpdate =
  '{"schema":{"type":"struct","fields":[' +
  `{"type":"struct","fields":[${valueFields}],"optional":true,` +
  '"name":"dbserver1.inventory.customers.Value","field":"before"},' +
  `{"type":"struct","fields":[${valueFields}],"optional":true,` +
  '"name":"dbserver1.inventory.customers.Value","field":"after"},' +
  '{"type":"struct","fields":[{"type":"string","optional":false,"field":"version"},' +
  '{"type":"string","optional":false,"field":"connector"},' +
  '{"type":"string","optional":false,"field":"name"},' +
  '{"type":"int64","optional":false,"field":"ts_ms"},' +
  '{"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,' +
  '"parameters":{"allowed":"true,first,first_in_data_collection,last_in_data_collection,last,false,incremental"},' +
  '"default":"false","field":"snapshot"},' +
  '{"type":"string","optional":false,"field":"db"},' +
  '{"type":"string","optional":true,"field":"sequence"},' +
  '{"type":"int64","optional":true,"field":"ts_us"},' +
  '{"type":"int64","optional":true,"field":"ts_ns"},' +
  '{"type":"string","optional":false,"field":"schema"},' +
  '{"type":"string","optional":false,"field":"table"},' +
  '{"type":"int64","optional":true,"field":"txId"},' +
  '{"type":"int64","optional":true,"field":"lsn"},' +
  '{"type":"int64","optional":true,"field":"xmin"}],"optional":false,' +
  '"name":"io.debezium.connector.postgresql.Source","version":1,"field":"source"},' +
  '{"type":"struct","fields":[{"type":"string","optional":false,"field":"id"},' +
  '{"type":"int64","optional":false,"field":"total_order"},' +
  '{"type":"int64","optional":false,"field":"data_collection_order"}],"optional":true,' +
  '"name":"event.block","version":1,"field":"transaction"},' +
  '{"type":"string","optional":false,"field":"op"},' +
  '{"type":"int64","optional":true,"field":"ts_ms"},' +
  '{"type":"int64","optional":true,"field":"ts_us"},' +
  '{"type":"int64","optional":true,"field":"ts_ns"}],"optional":false,' +
  '"name":"dbserver1.inventory.customers.Envelope","version":2},' +
  '"payload":{"before":{"id":1006,"first_name":"Liam","last_name":"Han","email":"liam2@example.com"},' +
  '"after":{"id":1006,"first_name":"Liam","last_name":"Han","email":"liam3@example.com"},' +
  '"source":{"version":"3.1.3.Final","connector":"postgresql","name":"dbserver1",' +
  '"ts_ms":1766925059528,"snapshot":"false","db":"postgres",' +
  '"sequence":"[\\"34389280\\",\\"34389336\\"]","ts_us":1766925059528750,' +
  '"ts_ns":1766925059528750000,"schema":"inventory","table":"customers","txId":779,' +
  '"lsn":34389336,"xmin":null},"transaction":null,"op":"u","ts_ms":1766925059873,' +
  '"ts_us":1766925059873428,"ts_ns":1766925059873428925}}'

function customersUpdate() {
  return buildChangeRecords({
    kind: 'row',
    op: 'u',
    table: customers,
    tsMs: 1766925059873,
    tsNs: 1766925059873428925n,
    before: { id: 1006, first_name: 'Liam', last_name: 'Han', email: 'liam2@example.com' },
    after: { id: 1006, first_name: 'Liam', last_name: 'Han', email: 'liam3@example.com' },
    source: {
      schema: pgSource,
      value: {
        version: '3.1.3.Final',
        connector: 'postgresql',
        name: 'dbserver1',
        ts_ms: 1766925059528n,
        snapshot: 'false',
        db: 'postgres',
        sequence: '["34389280","34389336"]',
        ts_us: 1766925059528750n,
        ts_ns: 1766925059528750000n,
        schema: 'inventory',
        table: 'customers',
        txId: 779n,
        lsn: 34389336n,
        xmin: null,
      },
    },
  })
}

const row = (fields: StructSchema['fields']): StructSchema => ({
  type: 'struct',
  optional: false,
  name: 'j.Row',
  fields,
})

describe('envelope/json-format', () => {
  it("writes an update byte for byte as Debezium's JsonConverter output", () => {
    const [record] = customersUpdate()
    assert.equal(toConnectJsonText(record?.value ?? null), debeziumUpdate)
    assert.equal(
      toConnectJsonText(record?.key ?? null),
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"default":0,' +
        '"field":"id"}],"optional":false,"name":"dbserver1.inventory.customers.Key"},' +
        '"payload":{"id":1006}}',
    )
  })

  it('writes the payload alone with schemas.enable=false, and tombstones as null', () => {
    const [record] = customersUpdate()
    const payload = toConnectJsonText(record?.value ?? null, { schemasEnable: false })
    assert.equal(payload, debeziumUpdate.slice(debeziumUpdate.indexOf('"payload":') + 10, -1))
    assert.equal(toConnectJson(null), null)
    assert.equal(toConnectJsonText(null, { schemasEnable: false }), null)
    assert.deepEqual(
      toConnectJson({ schema: text, value: 'é' }, { schemasEnable: false }),
      Buffer.from('"é"'),
    )
  })

  it('writes decimals as base64 by default and as exact numbers with NUMERIC', () => {
    const schema = row([
      { name: 'price', schema: types.connectDecimal(2, 10) },
      { name: 'tiny', schema: types.connectDecimal(8, 10) },
    ])
    const value = { price: Decimal.parse('-1.5'), tiny: Decimal.parse('0.00000001') }
    assert.equal(
      toConnectJsonText({ schema, value }, { schemasEnable: false }),
      '{"price":"/2o=","tiny":"AQ=="}',
    )
    assert.equal(
      toConnectJsonText({ schema, value }, { schemasEnable: false, decimalFormat: 'NUMERIC' }),
      '{"price":-1.50,"tiny":1E-8}',
    )
  })

  it('writes int64 exactly, floats as Java prints them and bytes as base64', () => {
    const schema = row([
      { name: 'big', schema: { type: 'int64', optional: false } },
      { name: 'f', schema: { type: 'float32', optional: false } },
      { name: 'd', schema: { type: 'float64', optional: false } },
      { name: 'nan', schema: { type: 'float64', optional: false } },
      { name: 'raw', schema: { type: 'bytes', optional: false } },
      { name: '2', schema: { type: 'int8', optional: false } },
    ])
    const value = {
      big: -(2n ** 63n),
      f: 0.1,
      d: 1e21,
      nan: Number.NaN,
      raw: Uint8Array.from([0xfb, 0xff]),
      2: -1,
    }
    assert.equal(
      toConnectJsonText({ schema, value }, { schemasEnable: false }),
      '{"big":-9223372036854775808,"f":0.1,"d":1.0E21,"nan":"NaN","raw":"+/8=","2":-1}',
    )
  })

  it("writes Connect's JSON schema form for arrays, maps, docs, parameters and defaults", () => {
    assert.equal(
      connectJsonSchemaText(types.variableScaleDecimal({ optional: true })),
      '{"type":"struct","fields":[{"type":"int32","optional":false,"field":"scale"},' +
        '{"type":"bytes","optional":false,"field":"value"}],"optional":true,' +
        '"name":"io.debezium.data.VariableScaleDecimal","version":1,"doc":"Variable scaled decimal"}',
    )
    assert.equal(
      connectJsonSchemaText(types.connectDecimal(2, 10, { default: Decimal.parse('1.00') })),
      '{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,' +
        '"parameters":{"scale":"2","connect.decimal.precision":"10"},"default":"ZA=="}',
    )
    assert.equal(
      connectJsonSchemaText({
        type: 'map',
        optional: true,
        keys: { type: 'int16', optional: false },
        values: { type: 'array', optional: false, items: { type: 'float32', optional: true } },
      }),
      '{"type":"map","keys":{"type":"int16","optional":false},"values":{"type":"array",' +
        '"items":{"type":"float","optional":true},"optional":false},"optional":true}',
    )
  })

  it('writes maps with string keys as objects and other maps as [key, value] pairs', () => {
    const schema = row([
      {
        name: 'byName',
        schema: {
          type: 'map',
          optional: false,
          keys: text,
          values: { type: 'int64', optional: true },
        },
      },
      {
        name: 'byNumber',
        schema: {
          type: 'map',
          optional: false,
          keys: { type: 'int16', optional: false },
          values: { type: 'float64', optional: false },
        },
      },
    ])
    const value = {
      byName: new Map([
        ['b', 1n],
        ['1', null],
      ]),
      byNumber: new Map([[3 as unknown as string, 0.5]]),
    }
    assert.equal(
      toConnectJsonText({ schema, value }, { schemasEnable: false }),
      '{"byName":{"b":1,"1":null},"byNumber":[[3,0.5]]}',
    )
  })

  it('replaces nulls with field defaults unless replace.null.with.default is off', () => {
    const schema = row([{ name: 'qty', schema: { type: 'int32', optional: true, default: 1 } }])
    assert.equal(
      toConnectJsonText({ schema, value: { qty: null } }, { schemasEnable: false }),
      '{"qty":1}',
    )
    assert.equal(
      toConnectJsonText(
        { schema, value: { qty: null } },
        { schemasEnable: false, replaceNullWithDefault: false },
      ),
      '{"qty":null}',
    )
    assert.throws(
      () => toConnectJsonText({ schema: row([{ name: 'x', schema: text }]), value: { x: null } }),
      (error) => isCdcError(error) && error.message.includes('field x'),
    )
  })
})
