/**
 * A table's columns as the connector knows them: from information_schema, or (for events
 * written before a later DDL) from a table map's full metadata.
 */
export interface ColumnDef {
  name: string
  /** 1-based position in the table. */
  position: number
  /**
   * information_schema DATA_TYPE in lower case (`int`, `varchar`, `datetime`, `uuid`, ...);
   * MariaDB's JSON (a LONGTEXT with a json_valid check) is `json`.
   */
  dataType: string
  /** COLUMN_TYPE as the server prints it, e.g. `decimal(10,2) unsigned`. */
  columnType: string
  unsigned: boolean
  nullable: boolean
  charset: string | null
  collation: string | null
  /** CHARACTER_MAXIMUM_LENGTH: characters of text, bytes of binary strings. */
  length: number | null
  /** CHARACTER_OCTET_LENGTH: the declared length in bytes (BINARY(n) is n). */
  octetLength: number | null
  precision: number | null
  scale: number | null
  /** Fractional-second digits of TIME, DATETIME and TIMESTAMP. */
  fsp: number | null
  /** ENUM and SET labels in declaration order. */
  values: readonly string[]
  autoIncrement: boolean
  generated: boolean
  /** MariaDB's pre-10.1 temporal format (`/* mariadb-5.3 *\/` in COLUMN_TYPE). */
  legacyTemporal: boolean
  defaultExpression: string | null
  comment: string | null
}

export interface TableDef {
  database: string
  table: string
  columns: readonly ColumnDef[]
  primaryKey: readonly string[]
  defaultCharset: string | null
  /** information_schema.TABLES.TABLE_ROWS (an estimate for InnoDB). */
  estimatedRows: number | null
}

export function tableKey(database: string, table: string): string {
  return `${database}.${table}`
}

/** ENUM/SET labels from a COLUMN_TYPE such as `enum('a','b,c','it''s')`. */
export function parseEnumValues(columnType: string): string[] {
  const open = columnType.indexOf('(')
  if (open < 0) return []
  const values: string[] = []
  let index = open + 1
  while (index < columnType.length) {
    const char = columnType.charAt(index)
    if (char === "'") {
      let value = ''
      index++
      while (index < columnType.length) {
        const inner = columnType.charAt(index)
        if (inner === "'" && columnType.charAt(index + 1) === "'") {
          value += "'"
          index += 2
        } else if (inner === "'") {
          index++
          break
        } else if (inner === '\\' && index + 1 < columnType.length) {
          value += columnType.charAt(index + 1)
          index += 2
        } else {
          value += inner
          index++
        }
      }
      values.push(value)
    } else if (char === ')') {
      break
    } else {
      index++
    }
  }
  return values
}
