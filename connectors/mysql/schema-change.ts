import type { SourceBlock } from '../../envelope/change-event.ts'
import type { ChangeRecord } from '../../envelope/change-record.ts'
import type { StructSchema, StructValue } from '../../envelope/connect-schema.ts'
import type { Flavor } from './config-def.ts'
import type { ColumnDef, TableDef } from './table-def.ts'

/**
 * Schema change events on the `<topic.prefix>` topic, shaped like Debezium's
 * SchemaChangeKey/SchemaChangeValue (SchemaFactory and ConnectTableChangeSerializer): the
 * DDL text and, for each captured table it touched, the table's structure afterwards.
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

const optionalString = { type: 'string', optional: true } as const
const optionalInt32 = { type: 'int32', optional: true } as const
const optionalBoolean = { type: 'boolean', optional: true } as const
const stringArray = {
  type: 'array',
  optional: true,
  items: { type: 'string', optional: false },
} as const

const columnSchema: StructSchema = {
  type: 'struct',
  optional: false,
  name: 'io.debezium.connector.schema.Column',
  version: 1,
  fields: [
    { name: 'name', schema: { type: 'string', optional: false } },
    { name: 'jdbcType', schema: { type: 'int32', optional: false } },
    { name: 'nativeType', schema: optionalInt32 },
    { name: 'typeName', schema: { type: 'string', optional: false } },
    { name: 'typeExpression', schema: optionalString },
    { name: 'charsetName', schema: optionalString },
    { name: 'length', schema: optionalInt32 },
    { name: 'scale', schema: optionalInt32 },
    { name: 'position', schema: { type: 'int32', optional: false } },
    { name: 'optional', schema: optionalBoolean },
    { name: 'autoIncremented', schema: optionalBoolean },
    { name: 'generated', schema: optionalBoolean },
    { name: 'comment', schema: optionalString },
    { name: 'defaultValueExpression', schema: optionalString },
    { name: 'enumValues', schema: stringArray },
  ],
}

const tableSchema: StructSchema = {
  type: 'struct',
  optional: true,
  name: 'io.debezium.connector.schema.Table',
  version: 1,
  fields: [
    { name: 'defaultCharsetName', schema: optionalString },
    { name: 'primaryKeyColumnNames', schema: stringArray },
    { name: 'columns', schema: { type: 'array', optional: false, items: columnSchema } },
    { name: 'comment', schema: optionalString },
  ],
}

const changeSchema: StructSchema = {
  type: 'struct',
  optional: false,
  name: 'io.debezium.connector.schema.Change',
  version: 1,
  fields: [
    { name: 'type', schema: { type: 'string', optional: false } },
    { name: 'id', schema: { type: 'string', optional: false } },
    { name: 'table', schema: tableSchema },
  ],
}

export function schemaChangeKeySchema(flavor: Flavor): StructSchema {
  return {
    type: 'struct',
    optional: false,
    name: `io.debezium.connector.${flavor}.SchemaChangeKey`,
    version: 1,
    fields: [{ name: 'databaseName', schema: { type: 'string', optional: false } }],
  }
}

export function schemaChangeValueSchema(flavor: Flavor, source: StructSchema): StructSchema {
  return {
    type: 'struct',
    optional: false,
    name: `io.debezium.connector.${flavor}.SchemaChangeValue`,
    version: 1,
    fields: [
      { name: 'source', schema: source },
      { name: 'ts_ms', schema: { type: 'int64', optional: false } },
      { name: 'databaseName', schema: optionalString },
      { name: 'schemaName', schema: optionalString },
      { name: 'ddl', schema: optionalString },
      { name: 'tableChanges', schema: { type: 'array', optional: false, items: changeSchema } },
    ],
  }
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

function columnValue(column: ColumnDef): StructValue {
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

function changeValue(change: TableChange): StructValue {
  const { def } = change
  return {
    type: change.type,
    id: `"${def.database}"."${def.table}"`,
    table: {
      defaultCharsetName: def.defaultCharset,
      primaryKeyColumnNames: [...def.primaryKey],
      columns: def.columns.map(columnValue),
      comment: null,
    },
  }
}

/** The schema change record for the `<topic.prefix>` topic, keyed by database. */
export function schemaChangeRecord(event: SchemaChangeEvent): ChangeRecord {
  return {
    topic: event.topic,
    key: {
      schema: schemaChangeKeySchema(event.flavor),
      value: { databaseName: event.databaseName },
    },
    value: {
      schema: schemaChangeValueSchema(event.flavor, event.source.schema),
      value: {
        source: event.source.value,
        ts_ms: BigInt(event.tsMs),
        databaseName: event.databaseName,
        schemaName: null,
        ddl: event.ddl,
        tableChanges: event.tableChanges.map(changeValue),
      },
    },
  }
}
