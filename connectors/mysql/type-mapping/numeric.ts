import { CdcError } from '../../../common/errors.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import * as semantic from '../../../envelope/semantic-types.ts'
import {
  decimalSchema,
  decimalValue,
  unsignedBigintSchema,
  unsignedBigintValue,
} from '../../../envelope/value-modes.ts'
import type { ColumnMapping, MappingInput } from './mapping.ts'
import { plainSelect, primitive } from './mapping.ts'

function unexpected(label: string, what: string, value: unknown): CdcError {
  return new CdcError(
    'CDC_DECODE_INVALID',
    `${label}: expected ${what}, the binlog decoder gave ${typeof value}`,
  )
}

const integerBits: Readonly<Record<string, number>> = {
  tinyint: 8,
  smallint: 16,
  mediumint: 24,
  int: 32,
  integer: 32,
  bigint: 64,
}

/**
 * Integers as Debezium's MySQL connector types them: TINYINT and SMALLINT INT16,
 * MEDIUMINT and INT INT32, BIGINT INT64; unsigned types widen one step and BIGINT
 * UNSIGNED follows bigint.unsigned.handling.mode. Signedness comes from the column, not
 * the binlog: without signedness metadata the decoder reads every value as signed.
 */
export function integerMapping({ def, options, label }: MappingInput): ColumnMapping {
  const bits = integerBits[def.dataType] ?? 32
  const optional = def.nullable
  if (bits === 64) {
    const unsigned = def.unsigned
    const mode = options.bigintUnsignedHandlingMode
    const schema = unsigned
      ? unsignedBigintSchema(mode, { optional })
      : primitive('int64', optional)
    const convert = (value: bigint) =>
      unsigned ? unsignedBigintValue(mode, BigInt.asUintN(64, value)) : BigInt.asIntN(64, value)
    return {
      schema,
      select: plainSelect,
      fromBinlog: (value) => {
        if (typeof value !== 'bigint') throw unexpected(label, 'a BIGINT', value)
        return convert(value)
      },
      fromText: (bytes) => convert(BigInt(bytes.toString('latin1'))),
    }
  }
  const type = def.unsigned
    ? bits <= 8
      ? 'int16'
      : bits <= 24
        ? 'int32'
        : 'int64'
    : bits <= 16
      ? 'int16'
      : 'int32'
  const normalize = (value: number) => (def.unsigned && value < 0 ? value + 2 ** bits : value)
  const wide = type === 'int64'
  return {
    schema: primitive(type, optional),
    select: plainSelect,
    fromBinlog: (value) => {
      if (typeof value !== 'number') throw unexpected(label, 'an integer', value)
      const number = normalize(value)
      return wide ? BigInt(number) : number
    },
    fromText: (bytes) => {
      const number = Number(bytes.toString('latin1'))
      return wide ? BigInt(number) : number
    },
  }
}

export function decimalMapping({ def, options, label }: MappingInput): ColumnMapping {
  const schema = decimalSchema(
    options.decimalHandlingMode,
    def.precision ?? undefined,
    def.scale ?? 0,
    { optional: def.nullable },
  )
  return {
    schema,
    select: plainSelect,
    fromBinlog: (value) => {
      if (!(value instanceof Decimal)) throw unexpected(label, 'a DECIMAL', value)
      return decimalValue(schema, value)
    },
    fromText: (bytes) => decimalValue(schema, Decimal.parse(bytes.toString('latin1'))),
  }
}

/**
 * FLOAT (and FLOAT(p ≤ 24)) is FLOAT32; FLOAT(M,D) and DOUBLE are FLOAT64 (Debezium's
 * table). The server prints FLOAT with 6 digits, which does not read back as the stored
 * float, so the snapshot selects it as DOUBLE: the exact float32 value.
 */
export function floatMapping({ def, label }: MappingInput): ColumnMapping {
  const single = def.dataType === 'float' && !/\(/.test(def.columnType)
  const isFloat = def.dataType === 'float'
  return {
    schema: primitive(single ? 'float32' : 'float64', def.nullable),
    select: (name) => (isFloat ? `CAST(${name} AS DOUBLE)` : name),
    fromBinlog: (value) => {
      if (typeof value !== 'number') throw unexpected(label, 'a floating-point number', value)
      return value
    },
    fromText: (bytes) => {
      const number = Number(bytes.toString('latin1'))
      return isFloat ? Math.fround(number) : number
    },
  }
}

export function yearMapping({ def, label }: MappingInput): ColumnMapping {
  return {
    schema: semantic.year({ optional: def.nullable }),
    select: plainSelect,
    fromBinlog: (value) => {
      if (typeof value !== 'number') throw unexpected(label, 'a YEAR', value)
      return value
    },
    fromText: (bytes) => Number(bytes.toString('latin1')),
  }
}

/**
 * BIT(1) is BOOLEAN; BIT(n) is io.debezium.data.Bits: ceil(n/8) bytes, little-endian (the
 * binlog and the text protocol both send them big-endian).
 */
export function bitMapping({ def, label }: MappingInput): ColumnMapping {
  const bits = def.precision ?? 1
  const convert = (bytes: Buffer) => {
    if (bits === 1) return bytes.some((byte) => byte !== 0)
    const size = Math.ceil(bits / 8)
    const littleEndian = new Uint8Array(size)
    for (let index = 0; index < size && index < bytes.length; index++) {
      littleEndian[index] = bytes[bytes.length - 1 - index] ?? 0
    }
    return littleEndian
  }
  return {
    schema:
      bits === 1
        ? primitive('boolean', def.nullable)
        : semantic.bits(bits, { optional: def.nullable }),
    select: plainSelect,
    fromBinlog: (value) => {
      if (!Buffer.isBuffer(value)) throw unexpected(label, 'BIT bytes', value)
      return convert(value)
    },
    fromText: convert,
  }
}
