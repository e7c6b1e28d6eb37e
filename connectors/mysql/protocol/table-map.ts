import { CdcError } from '../../../common/errors.ts'
import type { ByteReader } from './byte-reader.ts'
import type { ColumnShape } from './column-metadata.ts'
import { readColumnShape } from './column-metadata.ts'
import { columnTypeName } from './column-types.ts'
import { applyOptionalMetadata } from './table-map-metadata.ts'

/** One column of a TABLE_MAP: its binlog shape plus the optional (FULL) metadata. */
export interface ColumnInfo extends ColumnShape {
  index: number
  /** Name of `realType`, e.g. `VARCHAR`, `ENUM`, `DATETIME2`. */
  typeName: string
  nullable: boolean
  /** The remaining fields are null when the table map carries no such metadata. */
  name: string | null
  /** Numeric columns only (YEAR included). Unknown signedness is decoded as signed. */
  unsigned: boolean | null
  /** Collation id for character columns (63 = binary): how to decode the value's bytes. */
  collation: number | null
  /** ENUM/SET literals in the ENUM/SET column's collation, in declaration order. */
  enumValues: readonly Buffer[] | null
  setValues: readonly Buffer[] | null
  /** GEOMETRY subtype (0 GEOMETRY, 1 POINT, 2 LINESTRING, 3 POLYGON, 4–7 MULTI…/COLLECTION). */
  geometryType: number | null
  /** MySQL 8.0.23+ invisible columns are false. */
  visible: boolean | null
  vectorDimensions: number | null
}

export interface PrimaryKeyPart {
  column: number
  /** Prefix length in characters for `PRIMARY KEY (col(n))`; 0 = the whole column. */
  prefix: number
}

/** Optional metadata this decoder does not interpret, kept so nothing disappears silently. */
export interface UnknownMetadata {
  type: number
  value: Buffer
}

export interface TableMap {
  /** Not stable across DDL or FLUSH TABLES, and reused: always take the latest map. */
  tableId: number
  flags: number
  database: string
  table: string
  columns: readonly ColumnInfo[]
  /** Null when the map has no primary-key metadata (no PK, or not binlog_row_metadata=FULL). */
  primaryKey: readonly PrimaryKeyPart[] | null
  unknownMetadata: readonly UnknownMetadata[]
}

export interface TableMapLayout {
  /** Table ids are 6 bytes since MySQL 5.1.4 (post-header 8); 4 bytes with post-header 6. */
  tableIdSize: number
  mariadb: boolean
}

function bitSet(bitmap: Buffer, index: number): boolean {
  return ((bitmap.readUInt8(index >>> 3) >>> (index & 7)) & 1) === 1
}

/** Decodes a TABLE_MAP body (without the common header and checksum). */
export function decodeTableMap(body: ByteReader, layout: TableMapLayout): TableMap {
  const tableId = body.uintLE(layout.tableIdSize, 'the table id')
  const flags = body.u16('the table map flags')
  const database = body.bytes(body.u8('the database name length'), 'the database name')
  body.skip(1, 'the NUL after the database name')
  const table = body.bytes(body.u8('the table name length'), 'the table name')
  body.skip(1, 'the NUL after the table name')
  const count = body.lenenc('the column count')
  const types = body.bytes(count, 'the column types')
  const metadata = body.sub(body.lenenc('the metadata length'), 'the column metadata')
  const shapes: ColumnShape[] = []
  for (let i = 0; i < count; i++) shapes.push(readColumnShape(types.readUInt8(i), metadata))
  metadata.expectEnd('the column metadata block')
  const nullBits = body.bytes(Math.ceil(count / 8), 'the nullability bitmap')

  const columns: ColumnInfo[] = shapes.map((shape, index) => ({
    ...shape,
    index,
    typeName: columnTypeName(shape.realType),
    nullable: bitSet(nullBits, index),
    name: null,
    unsigned: null,
    collation: null,
    enumValues: null,
    setValues: null,
    geometryType: null,
    visible: null,
    vectorDimensions: null,
  }))
  const map: TableMap = {
    tableId,
    flags,
    database: database.toString('utf8'),
    table: table.toString('utf8'),
    columns,
    primaryKey: null,
    unknownMetadata: [],
  }
  return applyOptionalMetadata(map, columns, body, layout.mariadb)
}

/** Checks that a rows event's column count matches its table map. */
export function checkColumnCount(map: TableMap, count: number): void {
  if (count !== map.columns.length) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `the rows event has ${count} columns but the table map of ${map.database}.${map.table} (id ${map.tableId}) has ${map.columns.length}`,
    )
  }
}
