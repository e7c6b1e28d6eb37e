import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import { avroSchemaText } from '../../../envelope/avro-schema.ts'
import type { ConnectSchema } from '../../../envelope/connect-schema.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import { envelopeSchemaFor } from '../../../envelope/envelope-schemas.ts'
import { connectJsonSchemaText } from '../../../envelope/json-format.ts'
import {
  connectDecimal,
  connectTimestamp,
  enumeration,
  point,
} from '../../../envelope/semantic-types.ts'
import { connectSchemaFromAvro } from '../../../enrichment/avro-connect-schema.ts'
import { postgresSourceSchema } from '../../../connectors/postgres/source-info.ts'
import { customersTable } from './record-fixtures.ts'

const roundTrip = (schema: ConnectSchema) =>
  connectSchemaFromAvro(
    JSON.parse(avroSchemaText(schema)) as Parameters<typeof connectSchemaFromAvro>[0],
    'test',
  )

describe('enrichment/avro-connect-schema', () => {
  it('recovers the Connect schema of a whole Debezium envelope from its Avro schema', () => {
    const envelope = envelopeSchemaFor(customersTable, postgresSourceSchema)
    const read = roundTrip(envelope)
    assert.equal(avroSchemaText(read), avroSchemaText(envelope))
    const after =
      read.type === 'struct' ? read.fields.find((field) => field.name === 'after') : undefined
    assert.ok(after !== undefined)
    assert.equal(after.schema.optional, true)
    assert.equal(after.schema.name, 'srv.public.customers.Value')
  })

  it('keeps small ints, decimals, logical types, enums, maps and nested named records', () => {
    const schema: ConnectSchema = {
      type: 'struct',
      optional: false,
      name: 'x.Row',
      fields: [
        { name: 'tiny', schema: { type: 'int8', optional: false } },
        { name: 'price', schema: connectDecimal(2, 9) },
        {
          name: 'fee',
          schema: connectDecimal(2, 9, { optional: true, default: new Decimal(250n, 2) }),
        },
        { name: 'big', schema: { type: 'int64', optional: false, default: 42n } },
        { name: 'label', schema: { type: 'string', optional: true, default: 'none' } },
        {
          name: 'blob',
          schema: { type: 'bytes', optional: true, default: new Uint8Array([0, 200]) },
        },
        { name: 'when', schema: connectTimestamp({ optional: true }) },
        { name: 'mood', schema: enumeration(['ok', 'sad']) },
        { name: 'where', schema: point({ optional: true }) },
        { name: 'also', schema: point({ optional: true }) },
        {
          name: 'counts',
          schema: {
            type: 'map',
            optional: false,
            keys: { type: 'string', optional: false },
            values: { type: 'int64', optional: false },
          },
        },
        {
          name: 'byId',
          schema: {
            type: 'map',
            optional: false,
            keys: { type: 'int32', optional: false },
            values: { type: 'string', optional: true },
          },
        },
        {
          name: 'list',
          schema: { type: 'array', optional: false, items: { type: 'float32', optional: false } },
        },
      ],
    }
    const read = roundTrip(schema)
    assert.equal(avroSchemaText(read), avroSchemaText(schema))
    assert.equal(connectJsonSchemaText(read), connectJsonSchemaText(schema))
  })

  it('refuses unions other than [null, T]', () => {
    assert.throws(
      () =>
        connectSchemaFromAvro(
          { type: 'record', name: 'r', fields: [{ name: 'u', type: ['int', 'string'] }] },
          'id 9',
        ),
      (error) =>
        isCdcError(error) &&
        error.code === 'CDC_ENRICH_INPUT_INVALID' &&
        /id 9/.test(error.message),
    )
    assert.throws(
      () =>
        connectSchemaFromAvro(
          { type: 'record', name: 'r', fields: [{ name: 'u', type: 'Missing' }] },
          's',
        ),
      /unknown type name/,
    )
  })
})
