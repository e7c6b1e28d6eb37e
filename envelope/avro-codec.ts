import type avsc from 'avsc'
import { CdcError, errorMessage } from '../common/errors.ts'
import { hasStringKeys } from './avro-default.ts'
import type { AvroSchema } from './avro-schema.ts'
import { avroSchemaText, toAvroSchema } from './avro-schema.ts'
import { createAvscType } from './avro-types.ts'
import type { Payload } from './change-record.ts'
import type { ConnectSchema, ConnectValue } from './connect-schema.ts'
import { Decimal } from './connect-schema.ts'

/**
 * Avro binary for Connect values, as Confluent's AvroConverter writes it after the 5-byte
 * wire-format header (which the registry side adds). One codec per schema, cached.
 */
export interface AvroCodec {
  readonly schema: ConnectSchema
  /** The Avro schema as a JSON tree and as the text to register. */
  readonly avroSchema: AvroSchema
  readonly avroSchemaText: string
  /** The avsc type, for resolvers and compatibility checks. */
  readonly type: avsc.Type
  /** Raw Avro binary of a value that was validated against `schema`. */
  encode(value: ConnectValue): Buffer
  /**
   * Reads Avro binary written with this schema, or with `writer` (another schema's
   * avsc type) through a resolver, back into Connect values.
   */
  decode(bytes: Uint8Array, writer?: avsc.Type): ConnectValue
}

const codecs = new WeakMap<ConnectSchema, AvroCodec>()
// Equal schemas built as separate objects still share one avsc type.
const typesByText = new Map<string, avsc.Type>()

export function avroCodecFor(schema: ConnectSchema): AvroCodec {
  let codec = codecs.get(schema)
  if (codec === undefined) {
    codec = createCodec(schema)
    codecs.set(schema, codec)
  }
  return codec
}

/** Raw Avro binary of a record key or value. */
export function encodeAvro(payload: Payload): Buffer {
  return avroCodecFor(payload.schema).encode(payload.value)
}

function createCodec(schema: ConnectSchema): AvroCodec {
  const avroSchema = toAvroSchema(schema)
  const text = avroSchemaText(schema)
  let type = typesByText.get(text)
  if (type === undefined) {
    type = createAvscType(avroSchema)
    typesByText.set(text, type)
  }
  const resolvers = new WeakMap<avsc.Type, avsc.Resolver>()
  const avscType = type
  return {
    schema,
    avroSchema,
    avroSchemaText: text,
    type: avscType,
    encode(value) {
      try {
        return avscType.toBuffer(toDatum(schema, value))
      } catch (error) {
        throw new CdcError(
          'CDC_ENVELOPE_INVALID_VALUE',
          `a value does not fit Avro schema ${schema.name ?? schema.type}: ${errorMessage(error)}`,
          { cause: error },
        )
      }
    },
    decode(bytes, writer) {
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      if (writer === undefined) return fromDatum(schema, avscType.fromBuffer(buffer) as unknown)
      let resolver = resolvers.get(writer)
      if (resolver === undefined) {
        resolver = avscType.createResolver(writer, { ignoreNamespaces: true })
        resolvers.set(writer, resolver)
      }
      return fromDatum(schema, avscType.fromBuffer(buffer, resolver) as unknown)
    },
  }
}

/** Connect value -> avsc datum: bytes as Buffer, maps as objects or entry arrays. */
function toDatum(schema: ConnectSchema, value: ConnectValue | undefined): unknown {
  if (value === null || value === undefined) return null
  switch (schema.type) {
    case 'bytes':
      if (value instanceof Decimal) return value
      return Buffer.from(
        (value as Uint8Array).buffer,
        (value as Uint8Array).byteOffset,
        (value as Uint8Array).byteLength,
      )
    case 'array':
      return (value as readonly ConnectValue[]).map((item) => toDatum(schema.items, item))
    case 'map': {
      const entries = [...(value as ReadonlyMap<string, ConnectValue>)]
      if (hasStringKeys(schema)) {
        return Object.fromEntries(entries.map(([k, v]) => [k, toDatum(schema.values, v)]))
      }
      return entries.map(([k, v]) => ({
        key: toDatum(schema.keys, k),
        value: toDatum(schema.values, v),
      }))
    }
    case 'struct': {
      const struct = value as { readonly [field: string]: ConnectValue }
      const datum: Record<string, unknown> = {}
      for (const field of schema.fields)
        datum[field.name] = toDatum(field.schema, struct[field.name])
      return datum
    }
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
    case 'boolean':
    case 'string':
      return value
  }
}

/** avsc datum -> Connect value, the inverse of toDatum. */
function fromDatum(schema: ConnectSchema, datum: unknown): ConnectValue {
  if (datum === null || datum === undefined) return null
  switch (schema.type) {
    case 'bytes':
      // The decimal logical type already produced a Decimal; plain bytes are copied out of
      // the input buffer so values never alias it.
      return datum instanceof Decimal ? datum : new Uint8Array(datum as Buffer)
    case 'array':
      return (datum as unknown[]).map((item) => fromDatum(schema.items, item))
    case 'map': {
      if (hasStringKeys(schema)) {
        const entries = Object.entries(datum as Record<string, unknown>)
        return new Map(entries.map(([k, v]) => [k, fromDatum(schema.values, v)]))
      }
      const entries = datum as { key: unknown; value: unknown }[]
      return new Map(
        entries.map((entry) => [
          fromDatum(schema.keys, entry.key) as string,
          fromDatum(schema.values, entry.value),
        ]),
      )
    }
    case 'struct': {
      const record = datum as Record<string, unknown>
      const struct: Record<string, ConnectValue> = {}
      for (const field of schema.fields)
        struct[field.name] = fromDatum(field.schema, record[field.name])
      return struct
    }
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
    case 'boolean':
    case 'string':
      return datum as ConnectValue
  }
}
