import type { ConnectSchema } from './connect-schema.ts'

/** A captured table, as a connector knows it at one point of its stream. */
export interface TableId {
  /** Database (MySQL) or database name (Postgres `source.db`). */
  database: string
  /** Postgres schema; MySQL has none (empty string). */
  schema: string
  table: string
}

export interface ColumnSchema {
  name: string
  /** The column's value schema in Connect terms (optional when the column is nullable). */
  schema: ConnectSchema
  /** The source type as the database names it (`numeric(10,2)`, `varchar(20)`), for docs and errors. */
  sourceType: string
}

export interface TableSchema {
  id: TableId
  /** Kafka topic of this table's change events (`<topic.prefix>.<schema>.<table>`). */
  topic: string
  /** Columns in the table's order, after column include/exclude filters. */
  columns: readonly ColumnSchema[]
  /**
   * Columns that make the record key, in key order: the primary key, or the columns named
   * by `message.key.columns`. Empty means the records have a null key.
   */
  keyColumns: readonly string[]
}
