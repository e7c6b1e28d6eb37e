import { CdcError } from '../common/errors.ts'
import type { ConnectSchema, ConnectValue, StructValue } from './connect-schema.ts'
import { Decimal } from './connect-schema.ts'
import { unscaledToBytes } from './decimal-bytes.ts'
import type { SchemaOptions } from './semantic-types.ts'
import * as semantic from './semantic-types.ts'

/**
 * The connector settings that choose how a column is represented, shared by the Postgres
 * and MySQL connectors so both map values the way Debezium does.
 */

export const decimalHandlingModes = ['precise', 'double', 'string'] as const
export type DecimalHandlingMode = (typeof decimalHandlingModes)[number]

export const timePrecisionModes = [
  'adaptive',
  'adaptive_time_microseconds',
  'connect',
  'microseconds',
  'nanoseconds',
] as const
export type TimePrecisionMode = (typeof timePrecisionModes)[number]

export const bigintUnsignedHandlingModes = ['long', 'precise'] as const
export type BigintUnsignedHandlingMode = (typeof bigintUnsignedHandlingModes)[number]

/**
 * NUMERIC/DECIMAL: `precise` gives Connect's Decimal at the column scale (or, when the
 * column has no fixed scale, Debezium's VariableScaleDecimal), `double` FLOAT64, `string`
 * STRING.
 */
export function decimalSchema(
  mode: DecimalHandlingMode,
  precision: number | undefined,
  scale: number | undefined,
  options: SchemaOptions = {},
): ConnectSchema {
  switch (mode) {
    case 'precise':
      return scale === undefined
        ? semantic.variableScaleDecimal(options)
        : semantic.connectDecimal(scale, precision, options)
    case 'double':
      return plain('float64', options)
    case 'string':
      return plain('string', options)
  }
}

/** A decimal column value for the schema `decimalSchema` gave. */
export function decimalValue(schema: ConnectSchema, value: Decimal): ConnectValue {
  if (schema.type === 'float64') return value.toNumber()
  if (schema.type === 'string') return value.toString()
  if (schema.name === semantic.semanticNames.variableScaleDecimal) {
    return variableScaleDecimalValue(value)
  }
  const scale = Number(schema.parameters?.[semantic.decimalScaleParameter] ?? 0)
  try {
    return value.rescale(scale)
  } catch (error) {
    throw new CdcError(
      'CDC_ENVELOPE_INVALID_VALUE',
      `decimal ${value.toString()} has more fractional digits than the column scale ${scale}; ` +
        'check the column type or use decimal.handling.mode=string',
      { cause: error },
    )
  }
}

/** Debezium's VariableScaleDecimal struct for an exact decimal. */
export function variableScaleDecimalValue(value: Decimal): StructValue {
  return { scale: value.scale, value: unscaledToBytes(value.unscaled) }
}

function plain(type: 'float64' | 'string' | 'int64', options: SchemaOptions): ConnectSchema {
  return {
    type,
    optional: options.optional ?? false,
    ...(options.default === undefined ? {} : { default: options.default }),
  }
}

/** DATE: Debezium's Date, or Connect's in `connect` mode; both count days since the epoch. */
export function dateSchema(mode: TimePrecisionMode, options: SchemaOptions = {}): ConnectSchema {
  return mode === 'connect' ? semantic.connectDate(options) : semantic.date(options)
}

/** TIME(precision): the unit follows the fractional digits the column keeps. */
export function timeSchema(
  mode: TimePrecisionMode,
  precision: number,
  options: SchemaOptions = {},
): ConnectSchema {
  switch (mode) {
    case 'connect':
      return semantic.connectTime(options)
    case 'adaptive_time_microseconds':
    case 'microseconds':
      return semantic.microTime(options)
    case 'nanoseconds':
      return semantic.nanoTime(options)
    case 'adaptive':
      if (precision <= 3) return semantic.time(options)
      return precision <= 6 ? semantic.microTime(options) : semantic.nanoTime(options)
  }
}

/** TIMESTAMP/DATETIME(precision), zone-less. */
export function timestampSchema(
  mode: TimePrecisionMode,
  precision: number,
  options: SchemaOptions = {},
): ConnectSchema {
  switch (mode) {
    case 'connect':
      return semantic.connectTimestamp(options)
    case 'microseconds':
      return semantic.microTimestamp(options)
    case 'nanoseconds':
      return semantic.nanoTimestamp(options)
    case 'adaptive':
    case 'adaptive_time_microseconds':
      if (precision <= 3) return semantic.timestamp(options)
      return precision <= 6 ? semantic.microTimestamp(options) : semantic.nanoTimestamp(options)
  }
}

/** A time of day, given in nanoseconds past midnight, in the unit of its schema. */
export function timeValue(schema: ConnectSchema, nanosOfDay: bigint): ConnectValue {
  switch (schema.name ?? '') {
    case semantic.semanticNames.time:
    case semantic.semanticNames.connectTime:
      return Number(floorDiv(nanosOfDay, 1_000_000n))
    case semantic.semanticNames.microTime:
      return floorDiv(nanosOfDay, 1_000n)
    case semantic.semanticNames.nanoTime:
      return nanosOfDay
    default:
      throw unsupportedTemporal(schema)
  }
}

/** A zone-less timestamp, given in nanoseconds since the epoch, in the unit of its schema. */
export function timestampValue(schema: ConnectSchema, epochNanos: bigint): ConnectValue {
  switch (schema.name ?? '') {
    case semantic.semanticNames.timestamp:
    case semantic.semanticNames.connectTimestamp:
      return floorDiv(epochNanos, 1_000_000n)
    case semantic.semanticNames.microTimestamp:
      return floorDiv(epochNanos, 1_000n)
    case semantic.semanticNames.nanoTimestamp:
      return epochNanos
    default:
      throw unsupportedTemporal(schema)
  }
}

/**
 * Division rounding towards negative infinity, as Java's Instant arithmetic does: pre-1970
 * values with a fraction land on the earlier unit.
 */
export function floorDiv(value: bigint, divisor: bigint): bigint {
  const quotient = value / divisor
  return value % divisor < 0n ? quotient - 1n : quotient
}

function unsupportedTemporal(schema: ConnectSchema): CdcError {
  return new CdcError(
    'CDC_ENVELOPE_UNSUPPORTED_TYPE',
    `schema ${schema.name ?? schema.type} is not a time or timestamp schema; build it with ` +
      'timeSchema() or timestampSchema()',
  )
}

/** BIGINT UNSIGNED: `long` is INT64 (values above 2^63-1 wrap negative, as in Debezium). */
export function unsignedBigintSchema(
  mode: BigintUnsignedHandlingMode,
  options: SchemaOptions = {},
): ConnectSchema {
  return mode === 'precise' ? semantic.connectDecimal(0, 20, options) : plain('int64', options)
}

export function unsignedBigintValue(mode: BigintUnsignedHandlingMode, value: bigint): ConnectValue {
  return mode === 'precise' ? new Decimal(value, 0) : BigInt.asIntN(64, value)
}
