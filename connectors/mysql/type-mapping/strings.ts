import { CdcError } from '../../../common/errors.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import * as semantic from '../../../envelope/semantic-types.ts'
import {
  formatInet4,
  formatInet6,
  formatMariadbUuid,
  jsonToText,
  padBinary,
  type ColumnValue,
} from '../protocol/index.ts'
import { textDecoding } from './charsets.ts'
import type { ColumnMapping, MappingInput } from './mapping.ts'
import { plainSelect, primitive } from './mapping.ts'
import { compactJsonText } from './json-text.ts'

type Value = Exclude<ColumnValue, null>

function bytesOf(value: Value, label: string): Buffer {
  if (Buffer.isBuffer(value)) return value
  throw new CdcError('CDC_DECODE_INVALID', `${label}: expected bytes from the binlog decoder`)
}

const utf8 = textDecoding('utf8mb4', '')

/**
 * CHAR, VARCHAR and TEXT: binlog bytes are in the column's character set; snapshot bytes
 * were converted by the server to the connection's utf8mb4.
 */
export function textMapping({ def, label }: MappingInput): ColumnMapping {
  const decode = textDecoding(def.charset ?? 'utf8mb4', label)
  return {
    schema: primitive('string', def.nullable),
    select: plainSelect,
    fromBinlog: (value) => decode(bytesOf(value, label)),
    fromText: (bytes) => utf8(bytes),
  }
}

/**
 * BINARY, VARBINARY and BLOB as bytes. The binlog drops BINARY(n)'s trailing zero bytes;
 * they are put back so that both paths give the stored n bytes.
 */
export function binaryMapping({ def, label }: MappingInput): ColumnMapping {
  const fixed = def.dataType === 'binary' ? (def.octetLength ?? def.length) : null
  return {
    schema: primitive('bytes', def.nullable),
    select: plainSelect,
    fromBinlog: (value) => {
      const bytes = bytesOf(value, label)
      return new Uint8Array(fixed === null ? bytes : padBinary(bytes, fixed))
    },
    fromText: (bytes) => new Uint8Array(bytes),
  }
}

/** ENUM: the label (the binlog sends its 1-based index; 0 is the empty error value). */
export function enumMapping({ def, label }: MappingInput): ColumnMapping {
  return {
    schema: semantic.enumeration(def.values, { optional: def.nullable }),
    select: plainSelect,
    fromBinlog: (value) => {
      if (typeof value !== 'number') {
        throw new CdcError('CDC_DECODE_INVALID', `${label}: expected an ENUM index`)
      }
      if (value === 0) return ''
      const name = def.values[value - 1]
      if (name === undefined) {
        throw new CdcError(
          'CDC_MYSQL_SCHEMA_MISMATCH',
          `${label}: the binlog has ENUM index ${value} but the column has ${def.values.length} values`,
        )
      }
      return name
    },
    fromText: (bytes) => utf8(bytes),
  }
}

/** SET: the chosen labels in declaration order, joined by commas (the binlog sends a bitmask). */
export function setMapping({ def, label }: MappingInput): ColumnMapping {
  return {
    schema: semantic.enumSet(def.values, { optional: def.nullable }),
    select: plainSelect,
    fromBinlog: (value) => {
      if (typeof value !== 'bigint') {
        throw new CdcError('CDC_DECODE_INVALID', `${label}: expected a SET bitmask`)
      }
      if (value >> BigInt(def.values.length) !== 0n) {
        throw new CdcError(
          'CDC_MYSQL_SCHEMA_MISMATCH',
          `${label}: the binlog SET bitmask ${value} has bits beyond the column's ${def.values.length} values`,
        )
      }
      return def.values.filter((_, index) => ((value >> BigInt(index)) & 1n) === 1n).join(',')
    },
    fromText: (bytes) => utf8(bytes),
  }
}

/**
 * JSON as io.debezium.data.Json text. MySQL logs binary JSON (printed compactly, members
 * in stored order); MariaDB's JSON is text in both paths.
 */
export function jsonMapping({ def, label }: MappingInput): ColumnMapping {
  const binaryJson = def.columnType.toLowerCase() === 'json'
  return {
    schema: semantic.json({ optional: def.nullable }),
    select: plainSelect,
    fromBinlog: (value) => {
      if (Buffer.isBuffer(value)) return utf8(value)
      if (typeof value === 'object' && !(value instanceof Decimal) && value.kind === 'json') {
        if (value.value !== undefined) return jsonToText(value.value)
        return def.nullable ? null : 'null'
      }
      throw new CdcError('CDC_DECODE_INVALID', `${label}: expected a JSON value`)
    },
    fromText: (bytes) => (binaryJson ? compactJsonText(utf8(bytes)) : utf8(bytes)),
  }
}

/** MariaDB UUID, INET4 and INET6: their text, as the server prints them. */
export function addressMapping({ def, label }: MappingInput): ColumnMapping {
  const format =
    def.dataType === 'uuid'
      ? formatMariadbUuid
      : def.dataType === 'inet4'
        ? formatInet4
        : formatInet6
  return {
    schema: primitive('string', def.nullable),
    select: plainSelect,
    fromBinlog: (value) => format(bytesOf(value, label)),
    fromText: (bytes) => utf8(bytes),
  }
}

/**
 * Geometry types: io.debezium.data.geometry.Geometry {wkb, srid}, optional even for NOT
 * NULL columns as Debezium builds it.
 */
export function geometryMapping({ label }: MappingInput): ColumnMapping {
  return {
    schema: semantic.geometry({ optional: true }),
    select: plainSelect,
    fromBinlog: (value) => {
      if (
        typeof value === 'object' &&
        !(value instanceof Decimal) &&
        !Buffer.isBuffer(value) &&
        value.kind === 'geometry'
      ) {
        return { wkb: new Uint8Array(value.wkb), srid: value.srid }
      }
      throw new CdcError('CDC_DECODE_INVALID', `${label}: expected a GEOMETRY value`)
    },
    // The text protocol sends the stored form: a little-endian SRID, then the WKB.
    fromText: (bytes) => {
      if (bytes.length < 4) {
        throw new CdcError(
          'CDC_ENVELOPE_INVALID_VALUE',
          `${label}: a GEOMETRY of ${bytes.length} bytes`,
        )
      }
      return { wkb: new Uint8Array(bytes.subarray(4)), srid: bytes.readUInt32LE(0) }
    },
  }
}

/** VECTOR: io.debezium.data.FloatVector from little-endian float32 elements. */
export function vectorMapping({ def, label }: MappingInput): ColumnMapping {
  const convert = (bytes: Buffer) => {
    if (bytes.length % 4 !== 0) {
      throw new CdcError(
        'CDC_ENVELOPE_INVALID_VALUE',
        `${label}: a VECTOR of ${bytes.length} bytes`,
      )
    }
    const values: number[] = []
    for (let offset = 0; offset < bytes.length; offset += 4) values.push(bytes.readFloatLE(offset))
    return values
  }
  return {
    schema: semantic.floatVector({ optional: def.nullable }),
    select: plainSelect,
    fromBinlog: (value) => convert(bytesOf(value, label)),
    fromText: convert,
  }
}
