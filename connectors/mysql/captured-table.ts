import { CdcError, isCdcError } from '../../common/errors.ts'
import type { ConnectValue, StructValue } from '../../envelope/connect-schema.ts'
import type { TableSchema } from '../../envelope/table-schema.ts'
import type { RawRow } from './connection.ts'
import type { KeyColumnsRule, NameFilter } from './filters.ts'
import { passes } from './filters.ts'
import type { RowImage } from './protocol/index.ts'
import { quoteIdent, qualifiedName } from './sql-text.ts'
import type { ColumnDef, TableDef } from './table-def.ts'
import { mapColumn } from './type-mapping/column-mapping.ts'
import type { ColumnMapping, MappingOptions } from './type-mapping/mapping.ts'

export interface CaptureSettings extends MappingOptions {
  topicPrefix: string
  columns: NameFilter
  messageKeyColumns: readonly KeyColumnsRule[]
}

export interface CapturedColumn {
  def: ColumnDef
  /** 0-based position in the table: the index in binlog row images. */
  index: number
  mapping: ColumnMapping
}

/** A captured table at one point of the stream: its envelope schema and its converters. */
export interface CapturedTable {
  def: TableDef
  schema: TableSchema
  /** The emitted columns (after column filters), in table order. */
  columns: readonly CapturedColumn[]
}

/** Record key columns: `message.key.columns` when a rule matches, else the primary key. */
function keyColumnsOf(settings: CaptureSettings, def: TableDef): readonly string[] {
  const qualified = `${def.database}.${def.table}`
  const rule = settings.messageKeyColumns.find((candidate) => candidate.table.test(qualified))
  if (rule === undefined) return def.primaryKey
  const missing = rule.columns.filter(
    (column) => !def.columns.some((candidate) => candidate.name === column),
  )
  if (missing.length > 0) {
    throw new CdcError(
      'CDC_CONFIG_INVALID',
      `message.key.columns names ${missing.join(', ')} for ${qualified}, which has no such column; fix message.key.columns`,
    )
  }
  return rule.columns
}

export function captureTable(settings: CaptureSettings, def: TableDef): CapturedTable {
  const keyColumns = keyColumnsOf(settings, def)
  const columns: CapturedColumn[] = []
  def.columns.forEach((column, index) => {
    const label = `${def.database}.${def.table}.${column.name}`
    if (!keyColumns.includes(column.name) && !passes(settings.columns, label)) return
    columns.push({ def: column, index, mapping: mapColumn(column, settings, label) })
  })
  return {
    def,
    schema: {
      id: { database: def.database, schema: '', table: def.table },
      topic: `${settings.topicPrefix}.${def.database}.${def.table}`,
      columns: columns.map((column) => ({
        name: column.def.name,
        schema: column.mapping.schema,
        sourceType: column.def.columnType,
      })),
      keyColumns,
    },
    columns,
  }
}

/** Runs one column's converter; its errors name the column. */
function convert(
  table: CapturedTable,
  column: CapturedColumn,
  run: () => ConnectValue,
): ConnectValue {
  try {
    return run()
  } catch (error) {
    const where = `${table.def.database}.${table.def.table}.${column.def.name}`
    if (isCdcError(error)) {
      throw new CdcError(error.code, `${where}: ${error.message}`, {
        cause: error,
        details: { ...error.details, column: where },
      })
    }
    throw new CdcError('CDC_ENVELOPE_INVALID_VALUE', `${where}: ${String(error)}`, {
      cause: error,
    })
  }
}

/** A row struct from a binlog row image, which must hold every column (binlog_row_image=FULL). */
export function rowFromImage(table: CapturedTable, image: RowImage): StructValue {
  const row: Record<string, ConnectValue> = {}
  for (const column of table.columns) {
    const value = image[column.index]
    if (value === undefined) {
      throw new CdcError(
        'CDC_MYSQL_BINLOG_CONFIG',
        `a row event of ${table.def.database}.${table.def.table} lacks column ${column.def.name}: the session that wrote it used binlog_row_image other than FULL; set binlog_row_image=FULL globally and make sure no client changes it per session`,
      )
    }
    row[column.def.name] =
      value === null ? null : convert(table, column, () => column.mapping.fromBinlog(value))
  }
  return row
}

/** A row struct from a snapshot row read with `snapshotSelect`. */
export function rowFromSnapshot(table: CapturedTable, values: RawRow): StructValue {
  const row: Record<string, ConnectValue> = {}
  table.columns.forEach((column, position) => {
    const value = values[position] ?? null
    row[column.def.name] =
      value === null ? null : convert(table, column, () => column.mapping.fromText(value))
  })
  return row
}

/** The snapshot query of a table: its captured columns, in order. */
export function snapshotSelect(table: CapturedTable): string {
  const list = table.columns.map((column) => column.mapping.select(quoteIdent(column.def.name)))
  return `SELECT ${list.length === 0 ? 'NULL' : list.join(', ')} FROM ${qualifiedName(table.def.database, table.def.table)}`
}
