import type { StructSchema, StructValue } from './connect-schema.ts'
import type { TableSchema } from './table-schema.ts'

/** Debezium's `op` codes. */
export const operations = ['c', 'u', 'd', 'r', 't', 'm'] as const
export type Operation = (typeof operations)[number]

/**
 * The connector-specific `source` block (`io.debezium.connector.postgresql.Source`,
 * `io.debezium.connector.mysql.Source`, ...): its schema and this event's value.
 */
export interface SourceBlock {
  schema: StructSchema
  value: StructValue
}

/** Debezium's `transaction` block, present when `provide.transaction.metadata=true`. */
export interface TransactionInfo {
  id: string
  totalOrder: bigint
  dataCollectionOrder: bigint
}

interface EventBase {
  source: SourceBlock
  /** When the connector processed the event (the envelope's `ts_ms`). */
  tsMs: number
  /**
   * The same instant in nanoseconds since the epoch, when the connector's clock has finer
   * resolution than milliseconds; the envelope's `ts_ms`, `ts_us` and `ts_ns` then derive
   * from it (Debezium's clock gives microseconds). Otherwise they derive from `tsMs`.
   */
  tsNs?: bigint
  transaction?: TransactionInfo
}

/** One row changed: create, update, delete, or read by a snapshot. */
export interface RowChangeEvent extends EventBase {
  kind: 'row'
  op: 'c' | 'u' | 'd' | 'r'
  table: TableSchema
  /** Row before the change: null for c and r; for u and d what the source provides. */
  before: StructValue | null
  /** Row after the change: null for d. */
  after: StructValue | null
}

/** A table was truncated (`op` t): no key, no before or after. */
export interface TruncateEvent extends EventBase {
  kind: 'truncate'
  op: 't'
  table: TableSchema
}

/** A logical decoding message (`pg_logical_emit_message`), `op` m. */
export interface LogicalMessageEvent extends EventBase {
  kind: 'message'
  op: 'm'
  /** Topic for messages (`<topic.prefix>.message`). */
  topic: string
  prefix: string
  content: Uint8Array
}

/** One column of a table as the schema change topic describes it (io.debezium.connector.schema.Column). */
export interface SchemaChangeColumn {
  name: string
  /** java.sql.Types code, as Debezium's DDL parser registers the type. */
  jdbcType: number
  nativeType: number | null
  typeName: string
  typeExpression: string | null
  charsetName: string | null
  length: number | null
  scale: number | null
  /** 1-based. */
  position: number
  optional: boolean | null
  autoIncremented: boolean | null
  generated: boolean | null
  comment: string | null
  defaultValueExpression: string | null
  enumValues: readonly string[] | null
}

/** One table a DDL statement touched, with its structure afterwards (none for DROP). */
export interface TableChangeDescription {
  type: 'CREATE' | 'ALTER' | 'DROP'
  /** Debezium's quoted id, e.g. `"shop"."orders"`. */
  id: string
  table: {
    defaultCharsetName: string | null
    primaryKeyColumnNames: readonly string[]
    columns: readonly SchemaChangeColumn[]
    comment: string | null
  }
}

/**
 * A DDL statement on captured tables, for the schema change topic (`<topic.prefix>`) that
 * Debezium's MySQL-family connectors write. Its `op` is null: it is not a row change, and
 * `skipped.operations` does not apply to it.
 */
export interface SchemaChangeEvent extends EventBase {
  kind: 'schemaChange'
  op: null
  /** The schema change topic. */
  topic: string
  /** Prefix of the key and value schema names, e.g. `io.debezium.connector.mysql`. */
  namespace: string
  databaseName: string
  schemaName: string | null
  ddl: string
  tableChanges: readonly TableChangeDescription[]
}

export type ChangeEvent = RowChangeEvent | TruncateEvent | LogicalMessageEvent | SchemaChangeEvent
