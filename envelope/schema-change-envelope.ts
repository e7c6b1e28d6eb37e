import type { SchemaChangeEvent } from './change-event.ts'
import type { ChangeRecord } from './change-record.ts'
import type { StructSchema, StructValue } from './connect-schema.ts'

/**
 * Records on the schema change topic (`<topic.prefix>`), shaped like Debezium's
 * SchemaChangeKey/SchemaChangeValue (SchemaFactory and ConnectTableChangeSerializer): the DDL
 * text and, for each captured table it touched, the table's structure afterwards. Consumers
 * that rebuild table structures from Debezium's topic read ours the same way.
 */

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

/** `namespace` is the connector's, e.g. `io.debezium.connector.mysql`. */
export function schemaChangeKeySchema(namespace: string): StructSchema {
  return {
    type: 'struct',
    optional: false,
    name: `${namespace}.SchemaChangeKey`,
    version: 1,
    fields: [{ name: 'databaseName', schema: { type: 'string', optional: false } }],
  }
}

export function schemaChangeValueSchema(namespace: string, source: StructSchema): StructSchema {
  return {
    type: 'struct',
    optional: false,
    name: `${namespace}.SchemaChangeValue`,
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

/** The record for the schema change topic, keyed by database. */
export function schemaChangeRecord(event: SchemaChangeEvent): ChangeRecord {
  return {
    topic: event.topic,
    key: {
      schema: schemaChangeKeySchema(event.namespace),
      value: { databaseName: event.databaseName },
    },
    value: {
      schema: schemaChangeValueSchema(event.namespace, event.source.schema),
      value: {
        source: event.source.value,
        ts_ms: BigInt(event.tsMs),
        databaseName: event.databaseName,
        schemaName: event.schemaName,
        ddl: event.ddl,
        tableChanges: event.tableChanges.map((change): StructValue => ({
          type: change.type,
          id: change.id,
          table: {
            defaultCharsetName: change.table.defaultCharsetName,
            primaryKeyColumnNames: [...change.table.primaryKeyColumnNames],
            columns: change.table.columns.map((column): StructValue => ({
              ...column,
              enumValues: column.enumValues === null ? null : [...column.enumValues],
            })),
            comment: change.table.comment,
          },
        })),
      },
    },
  }
}
