import type { Queryable, TextRow } from './connection.ts'
import type { TableFilters } from './filters.ts'
import { isCapturedTable, systemDatabases } from './filters.ts'
import type { ColumnDef, TableDef } from './table-def.ts'
import { parseEnumValues, tableKey } from './table-def.ts'

/** A captured table's name and size estimate, before its columns are read. */
export interface TableName {
  database: string
  table: string
  estimatedRows: number | null
}

const numberOrNull = (text: string | null | undefined): number | null =>
  text === null || text === undefined || text === '' ? null : Number(text)

/** Base tables the filters capture, in database and table order. */
export async function listCapturedTables(
  session: Queryable,
  filters: TableFilters,
): Promise<TableName[]> {
  const rows = await session.query(
    `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name, TABLE_ROWS AS estimated
       FROM information_schema.TABLES
      WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN (${[...systemDatabases].map(() => '?').join(', ')})
      ORDER BY TABLE_SCHEMA, TABLE_NAME`,
    [...systemDatabases],
  )
  return rows
    .map((row) => ({
      database: row.db ?? '',
      table: row.name ?? '',
      estimatedRows: numberOrNull(row.estimated),
    }))
    .filter((table) => isCapturedTable(filters, table.database, table.table))
}

function columnDef(row: TextRow, jsonColumns: ReadonlySet<string>): ColumnDef {
  const name = row.name ?? ''
  const columnType = row.column_type ?? ''
  const extra = (row.extra ?? '').toLowerCase()
  let dataType = (row.data_type ?? '').toLowerCase()
  if (dataType === 'longtext' && jsonColumns.has(name)) dataType = 'json'
  return {
    name,
    position: Number(row.position ?? '0'),
    dataType,
    columnType,
    unsigned: /\bunsigned\b/i.test(columnType),
    nullable: row.nullable === 'YES',
    charset: row.charset ?? null,
    collation: row.collation ?? null,
    length: numberOrNull(row.char_length),
    octetLength: numberOrNull(row.octet_length),
    precision: numberOrNull(row.num_precision),
    scale: numberOrNull(row.num_scale),
    fsp: numberOrNull(row.fsp),
    values: dataType === 'enum' || dataType === 'set' ? parseEnumValues(columnType) : [],
    autoIncrement: extra.includes('auto_increment'),
    generated: /virtual|stored|generated/.test(extra),
    legacyTemporal: columnType.includes('mariadb-5.3'),
    defaultExpression: row.default_value ?? null,
    comment: row.comment === '' ? null : (row.comment ?? null),
  }
}

/**
 * Reads the named tables' columns, primary keys and default charsets from
 * information_schema, one query per kind for each database. Tables that no longer exist are
 * missing from the result.
 */
export async function describeTables(
  session: Queryable,
  names: readonly { database: string; table: string; estimatedRows?: number | null }[],
  mariadb: boolean,
): Promise<Map<string, TableDef>> {
  const result = new Map<string, TableDef>()
  const byDatabase = new Map<string, Set<string>>()
  for (const { database, table } of names) {
    const tables = byDatabase.get(database) ?? new Set<string>()
    tables.add(table)
    byDatabase.set(database, tables)
  }
  const estimates = new Map(
    names.map((name) => [tableKey(name.database, name.table), name.estimatedRows ?? null]),
  )
  for (const [database, tables] of byDatabase) {
    const wanted = [...tables]
    const marks = wanted.map(() => '?').join(', ')
    const columns = await session.query(
      `SELECT TABLE_NAME AS tbl, COLUMN_NAME AS name, ORDINAL_POSITION AS position, DATA_TYPE AS data_type,
              COLUMN_TYPE AS column_type, IS_NULLABLE AS nullable, CHARACTER_SET_NAME AS charset,
              COLLATION_NAME AS collation, CHARACTER_MAXIMUM_LENGTH AS char_length,
              CHARACTER_OCTET_LENGTH AS octet_length, NUMERIC_PRECISION AS num_precision,
              NUMERIC_SCALE AS num_scale, DATETIME_PRECISION AS fsp, EXTRA AS extra,
              COLUMN_DEFAULT AS default_value, COLUMN_COMMENT AS comment
         FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (${marks})
        ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      [database, ...wanted],
    )
    const keys = await session.query(
      `SELECT TABLE_NAME AS tbl, COLUMN_NAME AS name
         FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (${marks}) AND INDEX_NAME = 'PRIMARY'
        ORDER BY TABLE_NAME, SEQ_IN_INDEX`,
      [database, ...wanted],
    )
    const charsets = await session.query(
      `SELECT t.TABLE_NAME AS tbl, c.CHARACTER_SET_NAME AS charset
         FROM information_schema.TABLES t
         JOIN information_schema.COLLATIONS c ON c.COLLATION_NAME = t.TABLE_COLLATION
        WHERE t.TABLE_SCHEMA = ? AND t.TABLE_NAME IN (${marks})`,
      [database, ...wanted],
    )
    const json = mariadb
      ? await mariadbJsonColumns(session, database)
      : new Map<string, Set<string>>()
    for (const table of wanted) {
      const tableColumns = columns.filter((row) => row.tbl === table)
      if (tableColumns.length === 0) continue
      const jsonColumns = json.get(table) ?? new Set<string>()
      result.set(tableKey(database, table), {
        database,
        table,
        columns: tableColumns.map((row) => columnDef(row, jsonColumns)),
        primaryKey: keys.filter((row) => row.tbl === table).map((row) => row.name ?? ''),
        defaultCharset: charsets.find((row) => row.tbl === table)?.charset ?? null,
        estimatedRows: estimates.get(tableKey(database, table)) ?? null,
      })
    }
  }
  return result
}

/**
 * MariaDB's JSON type is LONGTEXT plus a column check `json_valid(col)`; those checks tell
 * JSON columns from plain text ones.
 */
async function mariadbJsonColumns(
  session: Queryable,
  database: string,
): Promise<Map<string, Set<string>>> {
  const rows = await session.query(
    `SELECT TABLE_NAME AS tbl, CHECK_CLAUSE AS clause
       FROM information_schema.CHECK_CONSTRAINTS
      WHERE CONSTRAINT_SCHEMA = ? AND CHECK_CLAUSE LIKE 'json_valid(%'`,
    [database],
  )
  const result = new Map<string, Set<string>>()
  for (const row of rows) {
    const match = /^json_valid\(`((?:[^`]|``)+)`\)$/.exec(row.clause ?? '')
    if (match === null) continue
    const table = row.tbl ?? ''
    const columns = result.get(table) ?? new Set<string>()
    columns.add((match[1] ?? '').replaceAll('``', '`'))
    result.set(table, columns)
  }
  return result
}

/** Collation id → charset name, for table maps that name a column's collation only. */
export async function readCollations(session: Queryable): Promise<Map<number, string>> {
  const rows = await session.query(
    'SELECT ID AS id, CHARACTER_SET_NAME AS charset FROM information_schema.COLLATIONS WHERE ID IS NOT NULL',
  )
  return new Map(rows.map((row) => [Number(row.id ?? '0'), row.charset ?? '']))
}
