import avsc from 'avsc'
import { Decimal } from './connect-schema.ts'
import { bytesToUnscaled, unscaledToBytes } from './decimal-bytes.ts'
import type { AvroSchema } from './avro-schema.ts'
import { JsonEntries, JsonNumberText } from './java-json.ts'

/**
 * avsc types for our Avro schemas: `long` as bigint over the full int64 range (avsc's own
 * long refuses anything past 2^53), and the `decimal` logical type as exact `Decimal`s.
 */

const int64Min = -(2n ** 63n)
const int64Max = 2n ** 63n - 1n

function toBigint(value: unknown): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value)
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value)
  throw new TypeError(`not an int64: ${String(value)}`)
}

const bigintLong: avsc.Type = avsc.types.LongType.__with({
  fromBuffer: (buffer: Buffer) => buffer.readBigInt64LE(0),
  toBuffer: (value: bigint) => {
    const buffer = Buffer.alloc(8)
    buffer.writeBigInt64LE(value)
    return buffer
  },
  fromJSON: toBigint,
  // JSON cannot hold every int64 as a number, so longs leave avsc as decimal strings.
  toJSON: (value: bigint) => value.toString(),
  isValid: (value: unknown) => typeof value === 'bigint' && value >= int64Min && value <= int64Max,
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
})

/** The unscaled bytes as a Decimal at the schema's scale; Decimals are rescaled exactly. */
class DecimalType extends avsc.types.LogicalType {
  readonly #scale: number

  constructor(schema: avsc.Schema, options?: unknown) {
    super(schema, options)
    this.#scale = Number((schema as { scale?: unknown }).scale ?? 0)
  }

  protected override _fromValue(value: unknown): Decimal {
    return new Decimal(bytesToUnscaled(value as Buffer), this.#scale)
  }

  protected override _toValue(value: unknown): Buffer | undefined {
    if (!(value instanceof Decimal)) return Buffer.isBuffer(value) ? value : undefined
    return Buffer.from(unscaledToBytes(value.rescale(this.#scale).unscaled))
  }

  protected override _resolve(type: avsc.Type): ((value: unknown) => Decimal) | undefined {
    if (type instanceof DecimalType) {
      return (value) => (value as Decimal).rescale(this.#scale)
    }
    if (type.typeName === 'bytes') return (value) => this._fromValue(value)
    return undefined
  }
}

/**
 * Longs become bigint longs. A bare name that is not defined in the current namespace falls
 * back to the null namespace, as Avro Java's parser does: Java writes a reference to a
 * namespace-less record that way even inside a namespaced one, and avsc alone would fail.
 */
function typeHook(schema: avsc.Schema, options: avsc.ForSchemaOptions): avsc.Type | undefined {
  if (typeof schema === 'string') {
    if (schema === 'long') return bigintLong
    const qualified = options.namespace ? `${options.namespace}.${schema}` : schema
    if (!schema.includes('.') && options.registry[qualified] === undefined) {
      return options.registry[schema]
    }
    return undefined
  }
  const type = (schema as { type?: unknown }).type
  return type === 'long' ? bigintLong : undefined
}

/** An avsc Type for one of our Avro schema trees. */
export function createAvscType(schema: AvroSchema): avsc.Type {
  return avsc.Type.forSchema(toAvscSchema(schema) as avsc.Schema, {
    typeHook,
    logicalTypes: { decimal: DecimalType },
    wrapUnions: 'auto',
  })
}

// The Java-exact number texts are for printing; avsc wants plain numbers.
function toAvscSchema(node: AvroSchema): unknown {
  if (node instanceof JsonNumberText) {
    const text = node.text.startsWith('"') ? node.text.slice(1, -1) : node.text
    return Number(text)
  }
  if (node instanceof JsonEntries) {
    return Object.fromEntries(node.entries.map(([key, value]) => [key, toAvscSchema(value)]))
  }
  if (Array.isArray(node)) return (node as readonly AvroSchema[]).map(toAvscSchema)
  if (typeof node === 'object' && node !== null) {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        value === undefined ? value : toAvscSchema(value),
      ]),
    )
  }
  return node
}
