import type { ArraySchema, ConnectValue, PrimitiveSchema, StructSchema } from './connect-schema.ts'

/**
 * Debezium's and Kafka Connect's semantic types, with the Connect type, name, version and
 * parameters that Debezium 3.6 gives them; consumers dispatch on exactly these names.
 */

export const semanticNames = {
  date: 'io.debezium.time.Date',
  time: 'io.debezium.time.Time',
  microTime: 'io.debezium.time.MicroTime',
  nanoTime: 'io.debezium.time.NanoTime',
  timestamp: 'io.debezium.time.Timestamp',
  microTimestamp: 'io.debezium.time.MicroTimestamp',
  nanoTimestamp: 'io.debezium.time.NanoTimestamp',
  zonedTimestamp: 'io.debezium.time.ZonedTimestamp',
  zonedTime: 'io.debezium.time.ZonedTime',
  year: 'io.debezium.time.Year',
  microDuration: 'io.debezium.time.MicroDuration',
  interval: 'io.debezium.time.Interval',
  connectDecimal: 'org.apache.kafka.connect.data.Decimal',
  connectDate: 'org.apache.kafka.connect.data.Date',
  connectTime: 'org.apache.kafka.connect.data.Time',
  connectTimestamp: 'org.apache.kafka.connect.data.Timestamp',
  json: 'io.debezium.data.Json',
  uuid: 'io.debezium.data.Uuid',
  xml: 'io.debezium.data.Xml',
  ltree: 'io.debezium.data.Ltree',
  enum: 'io.debezium.data.Enum',
  enumSet: 'io.debezium.data.EnumSet',
  bits: 'io.debezium.data.Bits',
  variableScaleDecimal: 'io.debezium.data.VariableScaleDecimal',
  floatVector: 'io.debezium.data.FloatVector',
  doubleVector: 'io.debezium.data.DoubleVector',
  point: 'io.debezium.data.geometry.Point',
  geometry: 'io.debezium.data.geometry.Geometry',
  geography: 'io.debezium.data.geometry.Geography',
} as const

/** The Connect schema parameter that carries a Decimal's scale. */
export const decimalScaleParameter = 'scale'
/** Debezium's parameter for a column's precision, which AvroData turns into Avro `precision`. */
export const decimalPrecisionParameter = 'connect.decimal.precision'

export interface SchemaOptions {
  /** Nullable column; defaults to false. */
  optional?: boolean
  /** The column default, in the value representation of this schema. */
  default?: ConnectValue
}

function semantic(
  type: PrimitiveSchema['type'],
  name: string,
  options: SchemaOptions,
  parameters?: Readonly<Record<string, string>>,
): PrimitiveSchema {
  return {
    type,
    optional: options.optional ?? false,
    name,
    version: 1,
    ...(parameters === undefined ? {} : { parameters }),
    ...(options.default === undefined ? {} : { default: options.default }),
  }
}

/** Days since the epoch (int32). */
export const date = (o: SchemaOptions = {}) => semantic('int32', semanticNames.date, o)
/** Milliseconds past midnight (int32). */
export const time = (o: SchemaOptions = {}) => semantic('int32', semanticNames.time, o)
/** Microseconds past midnight (int64). */
export const microTime = (o: SchemaOptions = {}) => semantic('int64', semanticNames.microTime, o)
/** Nanoseconds past midnight (int64). */
export const nanoTime = (o: SchemaOptions = {}) => semantic('int64', semanticNames.nanoTime, o)
/** Milliseconds since the epoch, zone-less (int64). */
export const timestamp = (o: SchemaOptions = {}) => semantic('int64', semanticNames.timestamp, o)
/** Microseconds since the epoch, zone-less (int64). */
export const microTimestamp = (o: SchemaOptions = {}) =>
  semantic('int64', semanticNames.microTimestamp, o)
/** Nanoseconds since the epoch, zone-less (int64). */
export const nanoTimestamp = (o: SchemaOptions = {}) =>
  semantic('int64', semanticNames.nanoTimestamp, o)
/** ISO-8601 instant with offset, in UTC (`2024-01-02T03:04:05.123456Z`). */
export const zonedTimestamp = (o: SchemaOptions = {}) =>
  semantic('string', semanticNames.zonedTimestamp, o)
/** ISO-8601 time with offset, in UTC (`03:04:05.123Z`). */
export const zonedTime = (o: SchemaOptions = {}) => semantic('string', semanticNames.zonedTime, o)
/** A year (int32). */
export const year = (o: SchemaOptions = {}) => semantic('int32', semanticNames.year, o)
/** An approximate duration in microseconds, months counted as 30.4375 days (int64). */
export const microDuration = (o: SchemaOptions = {}) =>
  semantic('int64', semanticNames.microDuration, o)
/** An ISO-8601 duration (`P1Y2M3DT4H5M6.78S`). */
export const interval = (o: SchemaOptions = {}) => semantic('string', semanticNames.interval, o)

/** Connect's Date logical type: days since the epoch (int32). */
export const connectDate = (o: SchemaOptions = {}) =>
  semantic('int32', semanticNames.connectDate, o)
/** Connect's Time logical type: milliseconds past midnight (int32). */
export const connectTime = (o: SchemaOptions = {}) =>
  semantic('int32', semanticNames.connectTime, o)
/** Connect's Timestamp logical type: milliseconds since the epoch (int64). */
export const connectTimestamp = (o: SchemaOptions = {}) =>
  semantic('int64', semanticNames.connectTimestamp, o)

/**
 * Connect's Decimal: bytes holding the unscaled two's-complement value; values are
 * `Decimal`s at this scale. Debezium adds the column precision when it knows it.
 */
export function connectDecimal(
  scale: number,
  precision?: number,
  o: SchemaOptions = {},
): PrimitiveSchema {
  const parameters: Record<string, string> = { [decimalScaleParameter]: String(scale) }
  if (precision !== undefined) parameters[decimalPrecisionParameter] = String(precision)
  return semantic('bytes', semanticNames.connectDecimal, o, parameters)
}

export const json = (o: SchemaOptions = {}) => semantic('string', semanticNames.json, o)
export const uuid = (o: SchemaOptions = {}) => semantic('string', semanticNames.uuid, o)
export const xml = (o: SchemaOptions = {}) => semantic('string', semanticNames.xml, o)
export const ltree = (o: SchemaOptions = {}) => semantic('string', semanticNames.ltree, o)

/** An enum label; `allowed` lists the labels in the database's order. */
export function enumeration(allowed: readonly string[], o: SchemaOptions = {}): PrimitiveSchema {
  return semantic('string', semanticNames.enum, o, { allowed: allowed.join(',') })
}

/** A MySQL SET: the chosen labels joined by commas. */
export function enumSet(allowed: readonly string[], o: SchemaOptions = {}): PrimitiveSchema {
  return semantic('string', semanticNames.enumSet, o, { allowed: allowed.join(',') })
}

/** BIT(n > 1): little-endian bytes. */
export function bits(length: number, o: SchemaOptions = {}): PrimitiveSchema {
  return semantic('bytes', semanticNames.bits, o, { length: String(length) })
}

const int32Field = { type: 'int32', optional: false } as const
const optionalInt32 = { type: 'int32', optional: true } as const
const bytesField = { type: 'bytes', optional: false } as const
const float64Field = { type: 'float64', optional: false } as const

function semanticStruct(
  name: string,
  doc: string,
  fields: StructSchema['fields'],
  o: SchemaOptions,
  optionalByDefault = false,
): StructSchema {
  return {
    type: 'struct',
    optional: o.optional ?? optionalByDefault,
    name,
    version: 1,
    doc,
    fields,
    ...(o.default === undefined ? {} : { default: o.default }),
  }
}

/** NUMERIC without a fixed scale: `{scale, value}` with value as in Connect's Decimal. */
export const variableScaleDecimal = (o: SchemaOptions = {}) =>
  semanticStruct(
    semanticNames.variableScaleDecimal,
    'Variable scaled decimal',
    [
      { name: 'scale', schema: int32Field },
      { name: 'value', schema: bytesField },
    ],
    o,
  )

/** Postgres POINT as coordinates plus optional WKB and SRID. */
export const point = (o: SchemaOptions = {}) =>
  semanticStruct(
    semanticNames.point,
    'Geometry (POINT)',
    [
      { name: 'x', schema: float64Field },
      { name: 'y', schema: float64Field },
      { name: 'wkb', schema: { type: 'bytes', optional: true } },
      { name: 'srid', schema: optionalInt32 },
    ],
    o,
  )

/**
 * WKB plus optional SRID. Debezium's builder makes Geometry optional and never undoes it, so
 * even NOT NULL geometry columns are optional unless `optional: false` is asked for.
 */
export const geometry = (o: SchemaOptions = {}) =>
  semanticStruct(
    semanticNames.geometry,
    'Geometry',
    [
      { name: 'wkb', schema: bytesField },
      { name: 'srid', schema: optionalInt32 },
    ],
    o,
    true,
  )

export const geography = (o: SchemaOptions = {}) =>
  semanticStruct(
    semanticNames.geography,
    'Geography',
    [
      { name: 'wkb', schema: bytesField },
      { name: 'srid', schema: optionalInt32 },
    ],
    o,
  )

function vector(name: string, item: 'float32' | 'float64', o: SchemaOptions): ArraySchema {
  return {
    type: 'array',
    optional: o.optional ?? false,
    name,
    version: 1,
    items: { type: item, optional: false },
    ...(o.default === undefined ? {} : { default: o.default }),
  }
}

/** MariaDB/MySQL VECTOR. */
export const floatVector = (o: SchemaOptions = {}) =>
  vector(semanticNames.floatVector, 'float32', o)
/** pgvector `vector`. */
export const doubleVector = (o: SchemaOptions = {}) =>
  vector(semanticNames.doubleVector, 'float64', o)
