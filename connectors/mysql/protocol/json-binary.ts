import { CdcError } from '../../../common/errors.ts'
import type { Decimal } from '../../../envelope/connect-schema.ts'
import { ByteReader } from './byte-reader.ts'
import { ColumnType } from './column-types.ts'
import { readDecimal } from './decimal.ts'
import type { MysqlDate, MysqlDateTime, MysqlTime } from './temporal.ts'
import { unpackDateTime, unpackTime } from './temporal.ts'

/** A value stored inside a JSON document with a MySQL column type JSON has no syntax for. */
export interface JsonOpaque {
  kind: 'opaque'
  /** The MySQL column type code (ColumnType), e.g. 252 for a BLOB. */
  type: number
  bytes: Buffer
}

/** Object members in stored order (MySQL sorts keys by length, then bytes). */
export type JsonObject = ReadonlyMap<string, JsonNode>

/**
 * A decoded MySQL JSON value. Integers are always bigint (int16 … uint64), doubles are
 * numbers, so the two stay apart and nothing loses precision. DECIMAL, DATE, TIME,
 * DATETIME and TIMESTAMP opaques are decoded; other opaques keep their bytes.
 */
export type JsonNode =
  | null
  | boolean
  | bigint
  | number
  | string
  | Decimal
  | MysqlDate
  | MysqlDateTime
  | MysqlTime
  | JsonOpaque
  | readonly JsonNode[]
  | JsonObject

const JsonType = {
  SMALL_OBJECT: 0x00,
  LARGE_OBJECT: 0x01,
  SMALL_ARRAY: 0x02,
  LARGE_ARRAY: 0x03,
  LITERAL: 0x04,
  INT16: 0x05,
  UINT16: 0x06,
  INT32: 0x07,
  UINT32: 0x08,
  INT64: 0x09,
  UINT64: 0x0a,
  DOUBLE: 0x0b,
  STRING: 0x0c,
  OPAQUE: 0x0f,
} as const

function invalid(message: string): CdcError {
  return new CdcError('CDC_DECODE_INVALID', `MySQL binary JSON: ${message}`)
}

/** Decodes a whole binary JSON document (the bytes of one JSON column value). */
export function decodeJsonBinary(doc: Buffer): JsonNode {
  if (doc.length === 0) throw invalid('an empty document has no type byte')
  return readValue(doc.readUInt8(0), doc.subarray(1))
}

/** A 1–5 byte length: 7 bits per byte, low group first, the high bit marks "more". */
function readVarLength(reader: ByteReader): number {
  let value = 0
  for (let i = 0; i < 5; i++) {
    const byte = reader.u8('a JSON length')
    value += (byte & 0x7f) * 2 ** (7 * i)
    if ((byte & 0x80) === 0) return value
  }
  throw invalid('a variable-length length runs over 5 bytes')
}

function readValue(type: number, data: Buffer): JsonNode {
  switch (type) {
    case JsonType.SMALL_OBJECT:
      return readContainer(data, false, true)
    case JsonType.LARGE_OBJECT:
      return readContainer(data, true, true)
    case JsonType.SMALL_ARRAY:
      return readContainer(data, false, false)
    case JsonType.LARGE_ARRAY:
      return readContainer(data, true, false)
    default:
      return readScalar(type, new ByteReader(data))
  }
}

function readLiteral(code: number): JsonNode {
  if (code === 0) return null
  if (code === 1) return true
  if (code === 2) return false
  throw invalid(`literal code ${code} is not null, true or false`)
}

function readScalar(type: number, reader: ByteReader): JsonNode {
  switch (type) {
    case JsonType.LITERAL:
      return readLiteral(reader.u8('a JSON literal'))
    case JsonType.INT16:
      return BigInt(reader.i16('a JSON int16'))
    case JsonType.UINT16:
      return BigInt(reader.u16('a JSON uint16'))
    case JsonType.INT32:
      return BigInt(reader.i32('a JSON int32'))
    case JsonType.UINT32:
      return BigInt(reader.u32('a JSON uint32'))
    case JsonType.INT64:
      return reader.i64('a JSON int64')
    case JsonType.UINT64:
      return reader.u64('a JSON uint64')
    case JsonType.DOUBLE:
      return reader.f64('a JSON double')
    case JsonType.STRING:
      return reader.bytes(readVarLength(reader), 'a JSON string').toString('utf8')
    case JsonType.OPAQUE: {
      const columnType = reader.u8('a JSON opaque type')
      return readOpaque(columnType, reader.bytes(readVarLength(reader), 'a JSON opaque value'))
    }
    default:
      throw invalid(`value type 0x${type.toString(16)} is unknown`)
  }
}

function readOpaque(type: number, bytes: Buffer): JsonNode {
  switch (type) {
    case ColumnType.NEWDECIMAL: {
      const reader = new ByteReader(bytes)
      const precision = reader.u8('a JSON decimal precision')
      const scale = reader.u8('a JSON decimal scale')
      return readDecimal(reader, precision, scale)
    }
    case ColumnType.DATE: {
      const { year, month, day } = unpackDateTime(new ByteReader(bytes).i64('a JSON date'))
      return { kind: 'date', year, month, day }
    }
    case ColumnType.DATETIME:
    case ColumnType.TIMESTAMP:
      return unpackDateTime(new ByteReader(bytes).i64('a JSON datetime'))
    case ColumnType.TIME:
      return unpackTime(new ByteReader(bytes).i64('a JSON time'))
    default:
      return { kind: 'opaque', type, bytes }
  }
}

/**
 * Objects and arrays: element count and byte size (2 bytes each in the small form, 4 in the
 * large), for objects key entries (offset, u16 length), then value entries (type byte plus
 * an offset, or the value itself when it fits the offset field). Offsets count from the
 * start of the container.
 */
function readContainer(data: Buffer, large: boolean, isObject: boolean): JsonNode {
  const offsetSize = large ? 4 : 2
  const header = new ByteReader(data)
  const count = header.uintLE(offsetSize, 'a JSON element count')
  const size = header.uintLE(offsetSize, 'a JSON container size')
  if (size > data.length) {
    throw invalid(`a container claims ${size} bytes but only ${data.length} are there`)
  }
  const container = data.subarray(0, size)
  const keyEntries = 2 * offsetSize
  const valueEntries = keyEntries + (isObject ? count * (offsetSize + 2) : 0)
  const entrySize = 1 + offsetSize
  if (valueEntries + count * entrySize > size) {
    throw invalid(`a container of ${size} bytes cannot hold ${count} entries`)
  }
  const values: JsonNode[] = []
  for (let i = 0; i < count; i++) {
    values.push(readEntry(container, valueEntries + i * entrySize, large))
  }
  if (!isObject) return values
  const members = new Map<string, JsonNode>()
  for (let i = 0; i < count; i++) {
    const entry = keyEntries + i * (offsetSize + 2)
    const offset = container.readUIntLE(entry, offsetSize)
    const length = container.readUInt16LE(entry + offsetSize)
    if (offset + length > size) throw invalid(`key ${i} lies outside its object`)
    members.set(container.subarray(offset, offset + length).toString('utf8'), values[i] ?? null)
  }
  return members
}

function readEntry(container: Buffer, at: number, large: boolean): JsonNode {
  const type = container.readUInt8(at)
  switch (type) {
    case JsonType.LITERAL:
      return readLiteral(container.readUInt8(at + 1))
    case JsonType.INT16:
      return BigInt(container.readInt16LE(at + 1))
    case JsonType.UINT16:
      return BigInt(container.readUInt16LE(at + 1))
    case JsonType.INT32:
      if (large) return BigInt(container.readInt32LE(at + 1))
      break
    case JsonType.UINT32:
      if (large) return BigInt(container.readUInt32LE(at + 1))
      break
  }
  const offset = container.readUIntLE(at + 1, large ? 4 : 2)
  if (offset >= container.length) {
    throw invalid(`a value offset ${offset} lies outside its ${container.length}-byte container`)
  }
  return readValue(type, container.subarray(offset))
}
