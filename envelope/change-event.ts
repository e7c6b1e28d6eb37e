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

export type ChangeEvent = RowChangeEvent | TruncateEvent | LogicalMessageEvent
