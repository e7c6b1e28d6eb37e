import { CdcError } from '../../../common/errors.ts'
import type { ByteReader } from './byte-reader.ts'
import { ColumnType, columnTypeName } from './column-types.ts'

/**
 * What a TABLE_MAP's per-column metadata block says about one column. Fields that do not
 * apply to the column's type are 0.
 */
export interface ColumnShape {
  /** The type byte of the table map. */
  type: number
  /** For STRING (254): ENUM, SET or STRING from the metadata; otherwise the same as `type`. */
  realType: number
  /** The metadata as one number (0 when the type has none), for diagnostics. */
  metadata: number
  /**
   * CHAR/BINARY/VARCHAR/VARBINARY: declared length in bytes (characters × charset maxlen);
   * MariaDB VARCHAR COMPRESSED adds 1 for the compression header.
   */
  maxLength: number
  /** BLOB/TEXT/JSON/GEOMETRY/VECTOR: bytes of the length prefix (1–4); ENUM/SET: value bytes. */
  lengthBytes: number
  /** NEWDECIMAL */
  precision: number
  scale: number
  /** TIME2/DATETIME2/TIMESTAMP2: fractional-second digits. */
  fsp: number
  /** BIT: declared width in bits (1–64). */
  bits: number
}

function shape(type: number, fields: Partial<ColumnShape>): ColumnShape {
  return {
    type,
    realType: type,
    metadata: 0,
    maxLength: 0,
    lengthBytes: 0,
    precision: 0,
    scale: 0,
    fsp: 0,
    bits: 0,
    ...fields,
  }
}

/**
 * STRING (254) metadata is two bytes: the real type, then the length's low byte. CHAR
 * columns longer than 255 bytes hide two more length bits in the real-type byte, XORed
 * into bits 4–5 (which are always set in the real type codes 0xf7, 0xf8, 0xfe).
 */
function stringShape(byte0: number, byte1: number): ColumnShape {
  const metadata = (byte0 << 8) | byte1
  if ((byte0 & 0x30) !== 0x30) {
    const maxLength = byte1 | (((byte0 & 0x30) ^ 0x30) << 4)
    return shape(ColumnType.STRING, { realType: byte0 | 0x30, metadata, maxLength })
  }
  if (byte0 === ColumnType.ENUM || byte0 === ColumnType.SET) {
    return shape(ColumnType.STRING, { realType: byte0, metadata, lengthBytes: byte1 })
  }
  return shape(ColumnType.STRING, { realType: byte0, metadata, maxLength: byte1 })
}

/** Reads one column's metadata from the table map's metadata block. */
export function readColumnShape(type: number, reader: ByteReader): ColumnShape {
  const what = `metadata of a ${columnTypeName(type)} column`
  switch (type) {
    case ColumnType.FLOAT:
    case ColumnType.DOUBLE: {
      const size = reader.u8(what)
      return shape(type, { metadata: size, lengthBytes: size })
    }
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB:
    case ColumnType.BLOB:
    case ColumnType.BLOB_COMPRESSED:
    case ColumnType.GEOMETRY:
    case ColumnType.JSON:
    case ColumnType.VECTOR: {
      const size = reader.u8(what)
      return shape(type, { metadata: size, lengthBytes: size })
    }
    case ColumnType.TIMESTAMP2:
    case ColumnType.DATETIME2:
    case ColumnType.TIME2: {
      const fsp = reader.u8(what)
      return shape(type, { metadata: fsp, fsp })
    }
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING:
    case ColumnType.VARCHAR_COMPRESSED: {
      const maxLength = reader.u16(what)
      return shape(type, { metadata: maxLength, maxLength })
    }
    case ColumnType.NEWDECIMAL: {
      const precision = reader.u8(what)
      const scale = reader.u8(what)
      return shape(type, { metadata: (precision << 8) | scale, precision, scale })
    }
    case ColumnType.BIT: {
      const partialBits = reader.u8(what)
      const wholeBytes = reader.u8(what)
      return shape(type, {
        metadata: (partialBits << 8) | wholeBytes,
        bits: wholeBytes * 8 + partialBits,
      })
    }
    case ColumnType.STRING:
      return stringShape(reader.u8(what), reader.u8(what))
    case ColumnType.ENUM:
    case ColumnType.SET: {
      // Never written as a column type by current servers, but MySQL reserves 2 bytes.
      const byte0 = reader.u8(what)
      const byte1 = reader.u8(what)
      return shape(type, { metadata: (byte0 << 8) | byte1, lengthBytes: byte1 })
    }
    case ColumnType.TINY:
    case ColumnType.SHORT:
    case ColumnType.INT24:
    case ColumnType.LONG:
    case ColumnType.LONGLONG:
    case ColumnType.YEAR:
    case ColumnType.DATE:
    case ColumnType.NEWDATE:
    case ColumnType.TIME:
    case ColumnType.DATETIME:
    case ColumnType.TIMESTAMP:
    case ColumnType.NULL:
      return shape(type, {})
    default:
      throw new CdcError(
        'CDC_DECODE_UNSUPPORTED',
        `the table map has a column of ${columnTypeName(type)}, which the binlog decoder cannot read; exclude the table or report the column type`,
      )
  }
}
