import { CdcError, isCdcError } from '../../common/errors.ts'
import type { ConnectValue, StructValue } from '../../envelope/connect-schema.ts'
import type { TableId, TableSchema } from '../../envelope/table-schema.ts'
import type { CatalogColumn } from './catalog.ts'
import type { PostgresConfig } from './config.ts'
import { passes } from './filters.ts'
import { unchangedToast, type ReplicaIdentity, type TupleValue } from './pgoutput/messages.ts'
import type { TypeLookup } from './type-mapping/pg-type.ts'
import { withColumnDefault } from './type-mapping/column-default.ts'
import { mapType, type ValueMapping } from './type-mapping/type-mapping.ts'

export interface CapturedColumn {
  name: string
  typeOid: number
  typmod: number
  /** Position in the relation's published columns: the pgoutput tuple index. */
  index: number
  mapping: ValueMapping
}

/** A captured table at one point of the stream: its envelope schema and its converters. */
export interface CapturedTable {
  oid: number
  schema: TableSchema
  columns: readonly CapturedColumn[]
  replicaIdentity: ReplicaIdentity
  /** Columns a key-only old tuple (K) carries: the replica identity's columns. */
  identityColumns: readonly string[]
}

export interface TableSource {
  oid: number
  schema: string
  name: string
  replicaIdentity: ReplicaIdentity
  primaryKey: readonly string[]
  /** Published columns in table order. */
  columns: readonly CatalogColumn[]
  /** Replica identity columns; the primary key when unknown (snapshot). */
  identityColumns?: readonly string[]
}

export function isCapturedTable(config: PostgresConfig, schema: string, table: string): boolean {
  return passes(config.schemas, schema) && passes(config.tables, `${schema}.${table}`)
}

/** Record key columns: `message.key.columns` when a rule matches, else the primary key. */
function keyColumnsOf(config: PostgresConfig, source: TableSource): readonly string[] {
  const qualified = `${source.schema}.${source.name}`
  const rule = config.messageKeyColumns.find((candidate) => candidate.table.test(qualified))
  if (rule === undefined) return source.primaryKey
  const missing = rule.columns.filter(
    (column) => !source.columns.some((candidate) => candidate.name === column),
  )
  if (missing.length > 0) {
    throw new CdcError(
      'CDC_CONFIG_INVALID',
      `message.key.columns names ${missing.join(', ')} for ${qualified}, which has no such column; fix message.key.columns`,
    )
  }
  return rule.columns
}

export function captureTable(
  config: PostgresConfig,
  types: TypeLookup,
  database: string,
  source: TableSource,
): CapturedTable {
  const id: TableId = { database, schema: source.schema, table: source.name }
  const keyColumns = keyColumnsOf(config, source)
  const columns: CapturedColumn[] = []
  source.columns.forEach((column, index) => {
    const keep =
      keyColumns.includes(column.name) ||
      passes(config.columns, `${source.schema}.${source.name}.${column.name}`)
    if (!keep) return
    const label = `${source.schema}.${source.name}.${column.name}`
    columns.push({
      name: column.name,
      typeOid: column.typeOid,
      typmod: column.typmod,
      index,
      mapping: withColumnDefault(
        mapType(types, column.typeOid, column.typmod, !column.notNull, config, label),
        column.defaultExpression ?? null,
      ),
    })
  })
  const schema: TableSchema = {
    id,
    topic: `${config.topicPrefix}.${source.schema}.${source.name}`,
    columns: columns.map((column, position) => ({
      name: column.name,
      schema: column.mapping.schema,
      sourceType:
        source.columns.find((candidate) => candidate.name === column.name)?.typeText ??
        String(position),
    })),
    keyColumns,
  }
  return {
    oid: source.oid,
    schema,
    columns,
    replicaIdentity: source.replicaIdentity,
    identityColumns: source.identityColumns ?? source.primaryKey,
  }
}

function convert(table: CapturedTable, column: CapturedColumn, value: TupleValue): ConnectValue {
  const optional = column.mapping.schema.optional
  if (value === unchangedToast)
    return column.mapping.unavailable ?? (optional ? null : column.mapping.fallback)
  // A required field the source did not send (non-key columns of a key-only old tuple)
  // gets the type's zero, as Debezium's converters do.
  if (value === null) return optional ? null : column.mapping.fallback
  try {
    return column.mapping.convert(value)
  } catch (error) {
    const where = `${table.schema.id.schema}.${table.schema.id.table}.${column.name}`
    if (isCdcError(error)) {
      throw new CdcError(error.code, `${where}: ${error.message}`, {
        cause: error,
        details: { column: where },
      })
    }
    throw new CdcError(
      'CDC_ENVELOPE_INVALID_VALUE',
      `${where}: cannot convert ${JSON.stringify(value.slice(0, 200))}: ${String(error)}`,
      { cause: error },
    )
  }
}

/** A row struct from values looked up per captured column. */
export function buildRow(
  table: CapturedTable,
  valueOf: (column: CapturedColumn, position: number) => TupleValue,
): StructValue {
  const row: Record<string, ConnectValue> = {}
  table.columns.forEach((column, position) => {
    row[column.name] = convert(table, column, valueOf(column, position))
  })
  return row
}

/** The record key's values, to tell whether an update moved a row to another key. */
export function keyOf(table: CapturedTable, row: StructValue): string {
  return JSON.stringify(
    table.schema.keyColumns.map((name) => row[name] ?? null),
    (_key, value: unknown) =>
      typeof value === 'bigint'
        ? `${value}n`
        : value instanceof Uint8Array
          ? Buffer.from(value).toString('hex')
          : value,
  )
}
