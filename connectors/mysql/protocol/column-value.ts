import { CdcError } from '../../../common/errors.ts'
import type { Decimal } from '../../../envelope/connect-schema.ts'
import type { ByteReader } from './byte-reader.ts'
import { ColumnType } from './column-types.ts'
import { readDecimal } from './decimal.ts'
import type { JsonNode } from './json-binary.ts'
import { decodeJsonBinary } from './json-binary.ts'
import { inflateMariadbColumn } from './mariadb-compression.ts'
import type { ColumnInfo } from './table-map.ts'
import type { MysqlTemporal } from './temporal.ts'
import {
  readDate,
  readDateTime2,
  readDateTimeOld,
  readTime2,
  readTimeOld,
  readTimestamp2,
  readTimestampOld,
} from './temporal.ts'

/** A MySQL JSON column (type 245). `value` is undefined for a zero-length value. */
export interface JsonColumnValue {
  kind: 'json'
  value: JsonNode | undefined
}

/** A GEOMETRY column: the SRID prefix and the WKB that follows it. */
export interface GeometryValue {
  kind: 'geometry'
  srid: number
  wkb: Buffer
}

/**
 * One column value as stored in the binlog:
 * - TINY/SHORT/INT24/LONG, YEAR: number (signed or unsigned per the table map);
 * - LONGLONG: bigint, unsigned up to 2^64−1;
 * - FLOAT/DOUBLE: number (FLOAT is the exact float32 value; print it via Math.fround);
 * - NEWDECIMAL: Decimal at the column's scale;
 * - DATE/TIME/DATETIME/TIMESTAMP (old and 2): the temporal objects of temporal.ts;
 * - CHAR/VARCHAR/TEXT/BINARY/VARBINARY/BLOB, MariaDB JSON, UUID and INET: the raw bytes
 *   (MariaDB COMPRESSED columns already inflated);
 *   decode text with the column's collation. The server strips trailing spaces of CHAR and
 *   trailing 0x00 of BINARY(n) (so UUID/INET too); re-pad to `maxLength` where needed;
 * - ENUM: number, the 1-based index into `enumValues` (0 = the empty error value);
 * - SET: bigint bitmask, bit i = `setValues[i]`;
 * - BIT: the bytes, big-endian, ceil(bits/8) long;
 * - VECTOR: the bytes (float32 little-endian elements);
 * - null for SQL NULL.
 */
export type ColumnValue =
  null | number | bigint | Decimal | Buffer | MysqlTemporal | JsonColumnValue | GeometryValue

function lengthPrefixed(reader: ByteReader, prefixBytes: number, what: string): Buffer {
  return reader.bytes(reader.uintLE(prefixBytes, `the length of ${what}`), what)
}

/** Reads the value of one present, non-NULL column. */
export function readColumnValue(reader: ByteReader, column: ColumnInfo): ColumnValue {
  const unsigned = column.unsigned === true
  switch (column.realType) {
    case ColumnType.TINY:
      return unsigned ? reader.u8() : reader.i8()
    case ColumnType.SHORT:
      return unsigned ? reader.u16() : reader.i16()
    case ColumnType.INT24:
      return unsigned ? reader.u24() : reader.i24()
    case ColumnType.LONG:
      return unsigned ? reader.u32() : reader.i32()
    case ColumnType.LONGLONG:
      return unsigned ? reader.u64() : reader.i64()
    case ColumnType.FLOAT:
      return reader.f32()
    case ColumnType.DOUBLE:
      return reader.f64()
    case ColumnType.NEWDECIMAL:
      return readDecimal(reader, column.precision, column.scale)
    case ColumnType.YEAR: {
      const year = reader.u8('a YEAR')
      return year === 0 ? 0 : 1900 + year
    }
    case ColumnType.DATE:
    case ColumnType.NEWDATE:
      return readDate(reader)
    case ColumnType.TIME:
      return readTimeOld(reader)
    case ColumnType.TIME2:
      return readTime2(reader, column.fsp)
    case ColumnType.DATETIME:
      return readDateTimeOld(reader)
    case ColumnType.DATETIME2:
      return readDateTime2(reader, column.fsp)
    case ColumnType.TIMESTAMP:
      return readTimestampOld(reader)
    case ColumnType.TIMESTAMP2:
      return readTimestamp2(reader, column.fsp)
    case ColumnType.BIT:
      return reader.bytes(Math.ceil(column.bits / 8), 'a BIT')
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING:
    case ColumnType.STRING:
      return lengthPrefixed(reader, column.maxLength > 255 ? 2 : 1, 'a string')
    case ColumnType.ENUM:
      return reader.uintLE(column.lengthBytes, 'an ENUM')
    case ColumnType.SET:
      return reader.uintLEBig(column.lengthBytes, 'a SET')
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB:
    case ColumnType.BLOB:
    case ColumnType.VECTOR:
      return lengthPrefixed(reader, column.lengthBytes, 'a BLOB')
    case ColumnType.JSON: {
      const doc = lengthPrefixed(reader, column.lengthBytes, 'a JSON value')
      return { kind: 'json', value: doc.length === 0 ? undefined : decodeJsonBinary(doc) }
    }
    case ColumnType.VARCHAR_COMPRESSED:
      return inflateMariadbColumn(
        lengthPrefixed(reader, column.maxLength > 255 ? 2 : 1, 'a compressed string'),
      )
    case ColumnType.BLOB_COMPRESSED:
      return inflateMariadbColumn(lengthPrefixed(reader, column.lengthBytes, 'a compressed BLOB'))
    case ColumnType.GEOMETRY:
      return readGeometry(lengthPrefixed(reader, column.lengthBytes, 'a GEOMETRY'))
    case ColumnType.NULL:
      return null
    default:
      throw new CdcError(
        'CDC_DECODE_UNSUPPORTED',
        `column ${column.name ?? column.index} has type ${column.typeName}, which has no row decoder`,
      )
  }
}

function readGeometry(bytes: Buffer): GeometryValue {
  if (bytes.length < 4) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `a GEOMETRY value of ${bytes.length} bytes has no SRID`,
    )
  }
  return { kind: 'geometry', srid: bytes.readUInt32LE(0), wkb: bytes.subarray(4) }
}
