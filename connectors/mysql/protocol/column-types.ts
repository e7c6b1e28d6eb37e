/** Column type codes (`enum_field_types`) as they appear in TABLE_MAP events and JSON opaques. */
export const ColumnType = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  NULL: 6,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  VARCHAR: 15,
  BIT: 16,
  TIMESTAMP2: 17,
  DATETIME2: 18,
  TIME2: 19,
  TYPED_ARRAY: 20,
  /** MariaDB `BLOB/TEXT ... COMPRESSED` columns. */
  BLOB_COMPRESSED: 140,
  /** MariaDB `VARCHAR ... COMPRESSED` columns. */
  VARCHAR_COMPRESSED: 141,
  VECTOR: 242,
  INVALID: 243,
  BOOL: 244,
  JSON: 245,
  NEWDECIMAL: 246,
  ENUM: 247,
  SET: 248,
  TINY_BLOB: 249,
  MEDIUM_BLOB: 250,
  LONG_BLOB: 251,
  BLOB: 252,
  VAR_STRING: 253,
  STRING: 254,
  GEOMETRY: 255,
} as const

export type ColumnTypeName = keyof typeof ColumnType

const names = new Map<number, ColumnTypeName>(
  Object.entries(ColumnType).map(([name, code]) => [code, name as ColumnTypeName]),
)

export function columnTypeName(code: number): string {
  return names.get(code) ?? `type ${code}`
}

/**
 * Types that take a bit in the SIGNEDNESS optional metadata. YEAR counts although it has no
 * sign: leaving it out shifts every later bit (go-mysql #1118, mysql-binlog-connector #108).
 */
export function isNumericType(type: number): boolean {
  switch (type) {
    case ColumnType.TINY:
    case ColumnType.SHORT:
    case ColumnType.INT24:
    case ColumnType.LONG:
    case ColumnType.LONGLONG:
    case ColumnType.NEWDECIMAL:
    case ColumnType.DECIMAL:
    case ColumnType.FLOAT:
    case ColumnType.DOUBLE:
    case ColumnType.YEAR:
      return true
    default:
      return false
  }
}

/**
 * Columns that take an entry in the DEFAULT_CHARSET / COLUMN_CHARSET metadata, by real type.
 * MariaDB counts GEOMETRY (with collation 63) too; MySQL does not [observed on MariaDB 10.11].
 */
export function isCharacterType(realType: number, mariadb: boolean): boolean {
  switch (realType) {
    case ColumnType.STRING:
    case ColumnType.VAR_STRING:
    case ColumnType.VARCHAR:
    case ColumnType.BLOB:
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB:
    case ColumnType.BLOB_COMPRESSED:
    case ColumnType.VARCHAR_COMPRESSED:
      return true
    case ColumnType.GEOMETRY:
      return mariadb
    default:
      return false
  }
}

export function isEnumOrSetType(realType: number): boolean {
  return realType === ColumnType.ENUM || realType === ColumnType.SET
}
