import type { StructField, StructSchema } from './connect-schema.ts'
import { enumeration } from './semantic-types.ts'

/**
 * The fields every Debezium `source` block starts with (SchemaFactory's
 * sourceInfoSchemaBuilder); each connector appends its own after them.
 */

/** `source.snapshot` values, in Debezium's order (it is a string enum, not a boolean). */
export const snapshotMarkers = [
  'true',
  'first',
  'first_in_data_collection',
  'last_in_data_collection',
  'last',
  'false',
  'incremental',
] as const
export type SnapshotMarker = (typeof snapshotMarkers)[number]

const required = (type: 'string' | 'int64') => ({ type, optional: false }) as const
const optional = (type: 'string' | 'int64') => ({ type, optional: true }) as const

export const commonSourceFields: readonly StructField[] = [
  { name: 'version', schema: required('string') },
  { name: 'connector', schema: required('string') },
  { name: 'name', schema: required('string') },
  { name: 'ts_ms', schema: required('int64') },
  { name: 'snapshot', schema: enumeration(snapshotMarkers, { optional: true, default: 'false' }) },
  { name: 'db', schema: required('string') },
  { name: 'sequence', schema: optional('string') },
  { name: 'ts_us', schema: optional('int64') },
  { name: 'ts_ns', schema: optional('int64') },
]

/**
 * A source block schema: `name` such as `io.debezium.connector.postgresql.Source`, the
 * common fields, then the connector's own.
 */
export function sourceSchema(name: string, connectorFields: readonly StructField[]): StructSchema {
  return {
    type: 'struct',
    optional: false,
    name,
    version: 1,
    fields: [...commonSourceFields, ...connectorFields],
  }
}
