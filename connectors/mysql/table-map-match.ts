import { ColumnType, type ColumnInfo, type TableMap } from './protocol/index.ts'
import type { ColumnDef, TableDef } from './table-def.ts'
import { textDecoding } from './type-mapping/charsets.ts'

const T = ColumnType
const blobTypes = [T.BLOB, T.TINY_BLOB, T.MEDIUM_BLOB, T.LONG_BLOB, T.BLOB_COMPRESSED]
const varTypes = [T.VARCHAR, T.VAR_STRING, T.VARCHAR_COMPRESSED]
const geometryTypes = [
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
  'geomcollection',
]

/** The binlog column types each information_schema DATA_TYPE is logged as. */
const loggedAs: Readonly<Record<string, readonly number[]>> = {
  tinyint: [T.TINY],
  smallint: [T.SHORT],
  mediumint: [T.INT24],
  int: [T.LONG],
  integer: [T.LONG],
  bigint: [T.LONGLONG],
  decimal: [T.NEWDECIMAL],
  numeric: [T.NEWDECIMAL],
  float: [T.FLOAT],
  double: [T.DOUBLE],
  real: [T.DOUBLE],
  year: [T.YEAR],
  date: [T.DATE, T.NEWDATE],
  time: [T.TIME2, T.TIME],
  datetime: [T.DATETIME2, T.DATETIME],
  timestamp: [T.TIMESTAMP2, T.TIMESTAMP],
  bit: [T.BIT],
  char: [T.STRING],
  binary: [T.STRING],
  uuid: [T.STRING],
  inet4: [T.STRING],
  inet6: [T.STRING],
  enum: [T.ENUM],
  set: [T.SET],
  varchar: varTypes,
  varbinary: varTypes,
  tinytext: blobTypes,
  text: blobTypes,
  mediumtext: blobTypes,
  longtext: blobTypes,
  tinyblob: blobTypes,
  blob: blobTypes,
  mediumblob: blobTypes,
  longblob: blobTypes,
  // MySQL logs its binary JSON type; MariaDB's JSON is LONGTEXT.
  json: [T.JSON, ...blobTypes],
  vector: [T.VECTOR],
  ...Object.fromEntries(geometryTypes.map((name) => [name, [T.GEOMETRY]])),
}

const signedTypes = new Set<number>([
  T.TINY,
  T.SHORT,
  T.INT24,
  T.LONG,
  T.LONGLONG,
  T.NEWDECIMAL,
  T.FLOAT,
  T.DOUBLE,
])

/** Null when the column fits the table map's column; otherwise why not. */
function columnMisfit(info: ColumnInfo, def: ColumnDef): string | null {
  const label = `column ${info.index + 1}`
  if (info.name !== null && info.name.toLowerCase() !== def.name.toLowerCase()) {
    return `${label} is ${info.name} in the binlog but ${def.name} in information_schema`
  }
  if (!(loggedAs[def.dataType] ?? []).includes(info.realType)) {
    return `${label} (${def.name}) is ${info.typeName} in the binlog but ${def.columnType} in information_schema`
  }
  // MariaDB flags YEAR unsigned and MySQL does not, so YEAR is left out.
  if (info.unsigned !== null && signedTypes.has(info.realType) && info.unsigned !== def.unsigned) {
    return `${label} (${def.name}) is ${info.unsigned ? 'unsigned' : 'signed'} in the binlog but ${def.columnType} in information_schema`
  }
  if (
    info.realType === T.NEWDECIMAL &&
    (info.precision !== def.precision || info.scale !== def.scale)
  ) {
    return `${label} (${def.name}) is DECIMAL(${info.precision},${info.scale}) in the binlog but ${def.columnType} in information_schema`
  }
  const temporal2 = [T.TIME2, T.DATETIME2, T.TIMESTAMP2] as readonly number[]
  if (temporal2.includes(info.realType) && info.fsp !== (def.fsp ?? 0)) {
    return `${label} (${def.name}) has ${info.fsp} fractional digits in the binlog but ${def.columnType} in information_schema`
  }
  if (
    info.realType === T.STRING &&
    def.octetLength !== null &&
    info.maxLength !== def.octetLength
  ) {
    return `${label} (${def.name}) is ${info.maxLength} bytes in the binlog but ${def.columnType} in information_schema`
  }
  if (info.realType === T.BIT && info.bits !== def.precision) {
    return `${label} (${def.name}) is BIT(${info.bits}) in the binlog but ${def.columnType} in information_schema`
  }
  const literals = info.enumValues ?? info.setValues
  if (literals !== null && literals.length !== def.values.length) {
    return `${label} (${def.name}) has ${literals.length} values in the binlog but ${def.columnType} in information_schema`
  }
  return null
}

/** Null when `def` describes the columns the table map logs, in order; otherwise why not. */
export function tableMapMisfit(map: TableMap, def: TableDef): string | null {
  if (map.columns.length !== def.columns.length) {
    return `the binlog logs ${map.columns.length} columns but information_schema has ${def.columns.length}`
  }
  for (const info of map.columns) {
    const column = def.columns[info.index]
    if (column === undefined) return `column ${info.index + 1} is missing`
    const misfit = columnMisfit(info, column)
    if (misfit !== null) return misfit
  }
  return null
}

/** Whether the table map names its columns (binlog_row_metadata=FULL when it was written). */
export function hasColumnNames(map: TableMap): boolean {
  return map.columns.every((column) => column.name !== null)
}

function dataTypeOf(info: ColumnInfo): string {
  const binary = info.collation === 63
  switch (info.realType) {
    case T.TINY:
      return 'tinyint'
    case T.SHORT:
      return 'smallint'
    case T.INT24:
      return 'mediumint'
    case T.LONG:
      return 'int'
    case T.LONGLONG:
      return 'bigint'
    case T.NEWDECIMAL:
      return 'decimal'
    case T.FLOAT:
      return 'float'
    case T.DOUBLE:
      return 'double'
    case T.YEAR:
      return 'year'
    case T.DATE:
    case T.NEWDATE:
      return 'date'
    case T.TIME:
    case T.TIME2:
      return 'time'
    case T.DATETIME:
    case T.DATETIME2:
      return 'datetime'
    case T.TIMESTAMP:
    case T.TIMESTAMP2:
      return 'timestamp'
    case T.BIT:
      return 'bit'
    case T.STRING:
      return binary ? 'binary' : 'char'
    case T.ENUM:
      return 'enum'
    case T.SET:
      return 'set'
    case T.JSON:
      return 'json'
    case T.GEOMETRY:
      return 'geometry'
    case T.VECTOR:
      return 'vector'
    default:
      if ((varTypes as readonly number[]).includes(info.realType))
        return binary ? 'varbinary' : 'varchar'
      if ((blobTypes as readonly number[]).includes(info.realType)) return binary ? 'blob' : 'text'
      return info.typeName.toLowerCase()
  }
}

/** A column described by the table map's metadata alone. */
function columnFromMap(info: ColumnInfo, collations: ReadonlyMap<number, string>): ColumnDef {
  const dataType = dataTypeOf(info)
  const charset =
    info.collation === null
      ? null
      : (collations.get(info.collation) ?? (info.collation === 63 ? 'binary' : null))
  const decode = textDecoding(charset !== null && charset !== 'binary' ? charset : 'utf8mb4', '')
  const literals = (info.enumValues ?? info.setValues ?? []).map((bytes) => decode(bytes))
  const sized =
    info.realType === T.STRING || (varTypes as readonly number[]).includes(info.realType)
  const shape =
    dataType === 'decimal'
      ? `(${info.precision},${info.scale})`
      : dataType === 'bit'
        ? `(${info.bits})`
        : sized
          ? `(${info.maxLength})`
          : ''
  return {
    name: info.name ?? `column${info.index + 1}`,
    position: info.index + 1,
    dataType,
    columnType: `${dataType}${shape}${info.unsigned === true ? ' unsigned' : ''}`,
    unsigned: info.unsigned === true,
    nullable: info.nullable,
    charset,
    collation: null,
    length: sized ? info.maxLength : null,
    octetLength: sized ? info.maxLength : null,
    precision: dataType === 'decimal' ? info.precision : dataType === 'bit' ? info.bits : null,
    scale: dataType === 'decimal' ? info.scale : null,
    fsp: ['time', 'datetime', 'timestamp'].includes(dataType) ? info.fsp : null,
    values: literals,
    autoIncrement: false,
    generated: false,
    legacyTemporal: false,
    defaultExpression: null,
    comment: null,
  }
}

/**
 * The table as a named table map describes it, for events written before a DDL that
 * information_schema already shows. Columns that information_schema still has unchanged
 * keep its finer details (JSON, UUID, enum labels); the others come from the metadata.
 */
export function tableDefFromMap(
  map: TableMap,
  collations: ReadonlyMap<number, string>,
  current: TableDef | null,
): TableDef {
  const columns = map.columns.map((info) => {
    const known = current?.columns.find(
      (column) => column.name.toLowerCase() === (info.name ?? '').toLowerCase(),
    )
    if (known !== undefined && columnMisfit(info, known) === null) {
      return { ...known, position: info.index + 1 }
    }
    return columnFromMap(info, collations)
  })
  const primaryKey =
    map.primaryKey !== null
      ? map.primaryKey.map((part) => columns[part.column]?.name ?? '')
      : (current?.primaryKey ?? []).filter((name) => columns.some((column) => column.name === name))
  return {
    database: map.database,
    table: map.table,
    columns,
    primaryKey,
    defaultCharset: current?.defaultCharset ?? null,
    estimatedRows: null,
  }
}

export type TableMapDecision = { kind: 'use'; def: TableDef } | { kind: 'refuse'; reason: string }

/**
 * What to decode a table map's rows with, given information_schema's current view of the
 * table (null when it has none): that view when it fits; else, when the map names its
 * columns, the map's own description; else nothing, since decoding by position with a
 * schema that has changed since would put values into the wrong columns.
 */
export function decideTableDef(
  map: TableMap,
  current: TableDef | null,
  collations: ReadonlyMap<number, string>,
): TableMapDecision {
  const misfit =
    current === null ? 'information_schema has no such table' : tableMapMisfit(map, current)
  if (current !== null && misfit === null) return { kind: 'use', def: current }
  if (hasColumnNames(map)) return { kind: 'use', def: tableDefFromMap(map, collations, current) }
  return { kind: 'refuse', reason: misfit ?? 'the table map does not fit' }
}
