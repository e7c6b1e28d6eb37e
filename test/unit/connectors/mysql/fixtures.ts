import type { MysqlConfig } from '../../../../connectors/mysql/config.ts'
import { parseMysqlConfig } from '../../../../connectors/mysql/config.ts'
import type { ColumnInfo, TableMap } from '../../../../connectors/mysql/protocol/index.ts'
import type { ColumnDef, TableDef } from '../../../../connectors/mysql/table-def.ts'

/** A parsed config with the required fields set; `extra` overrides. */
export function testConfig(extra: Record<string, string> = {}): MysqlConfig {
  return parseMysqlConfig(
    {
      'connector.class': 'mariadb',
      'database.hostname': 'db',
      'database.user': 'cdc',
      'database.server.id': '5400',
      'topic.prefix': 'shop',
      ...extra,
    },
    'mariadb',
  )
}

/** An information_schema column; `columnType` defaults to the data type. */
export function column(name: string, dataType: string, extra: Partial<ColumnDef> = {}): ColumnDef {
  return {
    name,
    position: 1,
    dataType,
    columnType: extra.columnType ?? dataType,
    unsigned: false,
    nullable: true,
    charset: null,
    collation: null,
    length: null,
    octetLength: null,
    precision: null,
    scale: null,
    fsp: null,
    values: [],
    autoIncrement: false,
    generated: false,
    legacyTemporal: false,
    defaultExpression: null,
    comment: null,
    ...extra,
  }
}

export function table(
  database: string,
  name: string,
  columns: ColumnDef[],
  primaryKey: string[] = [],
): TableDef {
  return {
    database,
    table: name,
    columns: columns.map((entry, index) => ({ ...entry, position: index + 1 })),
    primaryKey,
    defaultCharset: 'utf8mb4',
    estimatedRows: null,
  }
}

/** A table map column as the decoder gives it; metadata fields default to "not logged". */
export function mapColumn(
  index: number,
  realType: number,
  extra: Partial<ColumnInfo> = {},
): ColumnInfo {
  return {
    type: realType,
    realType,
    metadata: 0,
    maxLength: 0,
    lengthBytes: 0,
    precision: 0,
    scale: 0,
    fsp: 0,
    bits: 0,
    index,
    typeName: String(realType),
    nullable: true,
    name: null,
    unsigned: null,
    collation: null,
    enumValues: null,
    setValues: null,
    geometryType: null,
    visible: null,
    vectorDimensions: null,
    ...extra,
  }
}

export function tableMap(
  database: string,
  name: string,
  columns: ColumnInfo[],
  tableId = 42,
): TableMap {
  return {
    tableId,
    flags: 0,
    database,
    table: name,
    columns,
    primaryKey: null,
    unknownMetadata: [],
  }
}
