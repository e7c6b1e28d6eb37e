/**
 * Kafka Connect's schema model, which Debezium's envelopes are defined in. Connectors
 * describe columns in these terms (with Debezium's semantic names such as
 * `io.debezium.time.MicroTimestamp`); the envelope turns them into Avro or JSON exactly as
 * Confluent's AvroConverter and Connect's JsonConverter would.
 */
export const connectTypes = [
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'boolean',
  'string',
  'bytes',
  'array',
  'map',
  'struct',
] as const

export type ConnectType = (typeof connectTypes)[number]

interface SchemaBase {
  optional: boolean
  /** Semantic (logical) name, e.g. `org.apache.kafka.connect.data.Decimal`. */
  name?: string
  version?: number
  doc?: string
  /** Connect schema parameters, e.g. `{ scale: '2', 'connect.decimal.precision': '10' }`. */
  parameters?: Readonly<Record<string, string>>
  /** Default value, in the same representation as values (see ConnectValue). */
  default?: ConnectValue
}

export interface PrimitiveSchema extends SchemaBase {
  type: Exclude<ConnectType, 'array' | 'map' | 'struct'>
}

export interface ArraySchema extends SchemaBase {
  type: 'array'
  items: ConnectSchema
}

export interface MapSchema extends SchemaBase {
  type: 'map'
  keys: ConnectSchema
  values: ConnectSchema
}

export interface StructField {
  name: string
  schema: ConnectSchema
}

export interface StructSchema extends SchemaBase {
  type: 'struct'
  /** Structs are named records in Avro; Debezium always names them. */
  name: string
  fields: readonly StructField[]
}

export type ConnectSchema = PrimitiveSchema | ArraySchema | MapSchema | StructSchema

/**
 * A decimal kept exactly: `unscaled × 10^-scale`. JS numbers cannot hold NUMERIC(38) or
 * even BIGINT values exactly, so neither decimals nor int64 ever pass through `number`.
 */
export class Decimal {
  readonly unscaled: bigint
  readonly scale: number

  constructor(unscaled: bigint, scale: number) {
    this.unscaled = unscaled
    this.scale = scale
  }

  /** Parses plain decimal text (`-12.340`, `5`, `.5`); exponents are not accepted. */
  static parse(text: string): Decimal {
    const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim())
    if (match === null || (match[2] === '' && (match[3] ?? '') === '')) {
      throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`)
    }
    const fraction = match[3] ?? ''
    const digits = `${match[2] ?? ''}${fraction}` || '0'
    const unscaled = BigInt(digits) * (match[1] === '-' ? -1n : 1n)
    return new Decimal(unscaled, fraction.length)
  }

  /** The same value at another scale; refuses to drop non-zero digits. */
  rescale(scale: number): Decimal {
    if (scale === this.scale) return this
    if (scale > this.scale)
      return new Decimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale)
    const divisor = 10n ** BigInt(this.scale - scale)
    if (this.unscaled % divisor !== 0n) {
      throw new RangeError(
        `${this.toString()} cannot be written with scale ${scale} without rounding`,
      )
    }
    return new Decimal(this.unscaled / divisor, scale)
  }

  toString(): string {
    const negative = this.unscaled < 0n
    const digits = (negative ? -this.unscaled : this.unscaled).toString()
    if (this.scale <= 0) return `${negative ? '-' : ''}${digits}${'0'.repeat(-this.scale)}`
    const padded = digits.padStart(this.scale + 1, '0')
    const point = padded.length - this.scale
    return `${negative ? '-' : ''}${padded.slice(0, point)}.${padded.slice(point)}`
  }

  toNumber(): number {
    return Number(this.toString())
  }
}

/**
 * Values in Connect terms: int64 as bigint, int8–int32 and floats as number, bytes as
 * Uint8Array, Decimal for `org.apache.kafka.connect.data.Decimal`, arrays as arrays, maps
 * as Map, structs as plain objects keyed by field name.
 */
export type ConnectValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Decimal
  | readonly ConnectValue[]
  | ReadonlyMap<string, ConnectValue>
  | { readonly [field: string]: ConnectValue }

export type StructValue = { readonly [field: string]: ConnectValue }
