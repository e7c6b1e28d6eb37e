import type {
  SchemaChangeEvent as EnvelopeSchemaChange,
  SchemaChangeColumn,
  SourceBlock,
  TableChangeDescription,
} from '../../envelope/change-event.ts'
import type { ChangeRecord } from '../../envelope/change-record.ts'
import { schemaChangeRecord as envelopeSchemaChangeRecord } from '../../envelope/schema-change-envelope.ts'
import type { Flavor } from './config-def.ts'
import type { ColumnDef, TableDef } from './table-def.ts'

/**
 * Schema changes as the MySQL connector sees them (a DDL statement and the table
 * definitions it left), and their translation into the envelope's schema change event:
 * Debezium's java.sql.Types codes and type names for MySQL columns.
 */

export type TableChangeType = 'CREATE' | 'ALTER' | 'DROP'

export interface TableChange {
  type: TableChangeType
  def: TableDef
}

/** What the connector hands to whoever publishes schema changes (see MysqlTaskOptions). */
export interface SchemaChangeEvent {
  flavor: Flavor
  /** topic.prefix: the schema change topic. */
  topic: string
  source: SourceBlock
  /** When the connector processed the DDL. */
  tsMs: number
  databaseName: string
  ddl: string
  tableChanges: readonly TableChange[]
}

/** java.sql.Types of each type as Debezium's MySQL DDL parser registers it. */
const jdbcTypes: Readonly<Record<string, number>> = {
  bit: -7,
  tinyint: 5,
  smallint: 5,
  mediumint: 4,
  int: 4,
  integer: 4,
  bigint: -5,
  year: 4,
  float: 6,
  double: 8,
  real: 8,
  decimal: 3,
  numeric: 2,
  char: 1,
  varchar: 12,
  tinytext: 12,
  text: 12,
  mediumtext: 12,
  longtext: 12,
  binary: -2,
  varbinary: -3,
  tinyblob: 2004,
  blob: 2004,
  mediumblob: 2004,
  longblob: 2004,
  date: 91,
  time: 92,
  datetime: 93,
  timestamp: 2014,
  enum: 1,
  set: 1,
}
const jdbcOther = 1111

function lengthOf(column: ColumnDef): number | null {
  if (column.dataType === 'decimal' || column.dataType === 'numeric' || column.dataType === 'bit') {
    return column.precision
  }
  if (['time', 'datetime', 'timestamp'].includes(column.dataType)) return column.fsp
  return column.length !== null && column.length <= 2 ** 31 - 1 ? column.length : null
}

function columnDescription(column: ColumnDef): SchemaChangeColumn {
  const typeName = column.dataType.toUpperCase() + (column.unsigned ? ' UNSIGNED' : '')
  return {
    name: column.name,
    jdbcType: jdbcTypes[column.dataType] ?? jdbcOther,
    nativeType: null,
    typeName,
    typeExpression: typeName,
    charsetName: column.charset,
    length: lengthOf(column),
    scale: column.dataType === 'decimal' || column.dataType === 'numeric' ? column.scale : null,
    position: column.position,
    optional: column.nullable,
    autoIncremented: column.autoIncrement,
    generated: column.generated,
    comment: column.comment,
    defaultValueExpression: column.defaultExpression,
    enumValues: column.values.length > 0 ? [...column.values] : null,
  }
}

function changeDescription(change: TableChange): TableChangeDescription {
  const { def } = change
  return {
    type: change.type,
    id: `"${def.database}"."${def.table}"`,
    table: {
      defaultCharsetName: def.defaultCharset,
      primaryKeyColumnNames: [...def.primaryKey],
      columns: def.columns.map(columnDescription),
      comment: null,
    },
  }
}

/** The change as the envelope publishes it on the `<topic.prefix>` topic. */
export function toEnvelopeSchemaChange(event: SchemaChangeEvent): EnvelopeSchemaChange {
  return {
    kind: 'schemaChange',
    op: null,
    topic: event.topic,
    namespace: `io.debezium.connector.${event.flavor}`,
    source: event.source,
    tsMs: event.tsMs,
    databaseName: event.databaseName,
    schemaName: null,
    ddl: event.ddl,
    tableChanges: event.tableChanges.map(changeDescription),
  }
}

/** The schema change record for the `<topic.prefix>` topic, keyed by database. */
export function schemaChangeRecord(event: SchemaChangeEvent): ChangeRecord {
  return envelopeSchemaChangeRecord(toEnvelopeSchemaChange(event))
}
