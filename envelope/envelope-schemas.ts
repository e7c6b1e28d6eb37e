import { CdcError } from '../common/errors.ts'
import type { ConnectSchema, StructSchema } from './connect-schema.ts'
import type { TableSchema } from './table-schema.ts'
import { validateValue } from './validate-value.ts'

/**
 * The key, value and envelope schemas Debezium derives from a table (TableSchemaBuilder +
 * SchemaFactory.datatypeEnvelopeSchema). Built once per table and source schema object, so
 * connectors should reuse their TableSchema and source schema objects between events.
 */

/** Debezium 2.x/3.x envelope schema version (`Envelope.SCHEMA_VERSION`). */
export const envelopeSchemaVersion = 2

const optionalInt64: ConnectSchema = { type: 'int64', optional: true }
const requiredString: ConnectSchema = { type: 'string', optional: false }
const requiredInt64: ConnectSchema = { type: 'int64', optional: false }

/** The `transaction` block of every change event, null unless transaction metadata is on. */
export const transactionBlockSchema: StructSchema = {
  type: 'struct',
  optional: true,
  name: 'event.block',
  version: 1,
  fields: [
    { name: 'id', schema: requiredString },
    { name: 'total_order', schema: requiredInt64 },
    { name: 'data_collection_order', schema: requiredInt64 },
  ],
}

interface TableSchemas {
  key: StructSchema | null
  value: StructSchema
  envelopes: WeakMap<StructSchema, StructSchema>
}

const cache = new WeakMap<TableSchema, TableSchemas>()

function schemasOf(table: TableSchema): TableSchemas {
  let schemas = cache.get(table)
  if (schemas === undefined) {
    schemas = {
      key: buildKeySchema(table),
      value: buildValueSchema(table),
      envelopes: new WeakMap(),
    }
    cache.set(table, schemas)
  }
  return schemas
}

/** `<topic>.Key` with the key columns (their column schemas as they are), or null. */
export function keySchemaFor(table: TableSchema): StructSchema | null {
  return schemasOf(table).key
}

/** `<topic>.Value`, optional, one field per captured column. */
export function valueSchemaFor(table: TableSchema): StructSchema {
  return schemasOf(table).value
}

/** `<topic>.Envelope`, version 2, in Debezium's field order. */
export function envelopeSchemaFor(table: TableSchema, source: StructSchema): StructSchema {
  const schemas = schemasOf(table)
  let envelope = schemas.envelopes.get(source)
  if (envelope === undefined) {
    envelope = buildEnvelopeSchema(table.topic, schemas.value, source)
    schemas.envelopes.set(source, envelope)
  }
  return envelope
}

function buildKeySchema(table: TableSchema): StructSchema | null {
  if (table.keyColumns.length === 0) return null
  const fields = table.keyColumns.map((name) => {
    const column = table.columns.find((candidate) => candidate.name === name)
    if (column === undefined) {
      throw new CdcError(
        'CDC_ENVELOPE_INVALID_VALUE',
        `topic ${table.topic}: key column ${JSON.stringify(name)} is not among the captured ` +
          'columns; key columns must be captured (remove it from column.exclude.list) or ' +
          'name other columns in message.key.columns',
        { details: { topic: table.topic, column: name } },
      )
    }
    return { name, schema: column.schema }
  })
  return { type: 'struct', optional: false, name: `${table.topic}.Key`, fields }
}

function buildValueSchema(table: TableSchema): StructSchema {
  // A wrong default would surface only in the registry or in a consumer; catch it here.
  for (const column of table.columns) {
    if (column.schema.default !== undefined) {
      validateValue(column.schema, column.schema.default, table.topic, `${column.name} (default)`)
    }
  }
  return {
    type: 'struct',
    optional: true,
    name: `${table.topic}.Value`,
    fields: table.columns.map((column) => ({ name: column.name, schema: column.schema })),
  }
}

// TableSchemaBuilder adds `transaction` before Envelope.Builder.build() appends op and the
// timestamps, so it sits between source and op.
function buildEnvelopeSchema(
  topic: string,
  value: StructSchema,
  source: StructSchema,
): StructSchema {
  return {
    type: 'struct',
    optional: false,
    name: `${topic}.Envelope`,
    version: envelopeSchemaVersion,
    fields: [
      { name: 'before', schema: value },
      { name: 'after', schema: value },
      { name: 'source', schema: source },
      { name: 'transaction', schema: transactionBlockSchema },
      { name: 'op', schema: requiredString },
      { name: 'ts_ms', schema: optionalInt64 },
      { name: 'ts_us', schema: optionalInt64 },
      { name: 'ts_ns', schema: optionalInt64 },
    ],
  }
}
