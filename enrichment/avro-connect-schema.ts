import { CdcError } from '../common/errors.ts'
import type {
  ConnectSchema,
  ConnectValue,
  PrimitiveSchema,
  StructSchema,
} from '../envelope/connect-schema.ts'
import { Decimal } from '../envelope/connect-schema.ts'
import { bytesToUnscaled } from '../envelope/decimal-bytes.ts'
import { decimalScaleParameter, semanticNames } from '../envelope/semantic-types.ts'

/**
 * A registered Avro schema back into the Connect schema it was made from, as Confluent's
 * AvroData.toConnectSchema reads the `connect.*` properties that envelope/avro-schema.ts
 * (and AvroData) write, so that the output schema carries the input's names, parameters and
 * column defaults. Defaults of arrays, maps and structs are not carried over.
 */

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json }
type JsonObject = { readonly [key: string]: Json }

const primitives: Readonly<Record<string, PrimitiveSchema['type']>> = {
  boolean: 'boolean',
  int: 'int32',
  long: 'int64',
  float: 'float32',
  double: 'float64',
  bytes: 'bytes',
  string: 'string',
}

export function connectSchemaFromAvro(schema: Json, where: string): ConnectSchema {
  return new AvroReader(where).read(schema, null)
}

class AvroReader {
  readonly #where: string
  readonly #named = new Map<string, ConnectSchema>()

  constructor(where: string) {
    this.#where = where
  }

  read(node: Json, namespace: string | null): ConnectSchema {
    if (typeof node === 'string') return this.#reference(node, namespace)
    if (Array.isArray(node)) return this.#union(node as readonly Json[], namespace)
    if (!isObject(node)) throw this.#invalid(`unexpected schema node ${JSON.stringify(node)}`)
    const type = node.type
    if (typeof type !== 'string') return this.read(type ?? null, namespace)
    switch (type) {
      case 'record':
        return this.#record(node, namespace)
      case 'array':
        return this.#array(node, namespace)
      case 'map':
        return withProps(
          {
            type: 'map',
            optional: false,
            keys: { type: 'string', optional: false },
            values: this.read(node.values ?? null, namespace),
          },
          node,
        )
      case 'enum':
        return this.#define(node, namespace, withProps({ type: 'string', optional: false }, node))
      case 'fixed':
        return this.#define(node, namespace, withProps({ type: 'bytes', optional: false }, node))
      default:
        return this.#primitive(type, node)
    }
  }

  #primitive(type: string, node: JsonObject): ConnectSchema {
    const connectType = node['connect.type']
    let base = primitives[type]
    if (base === undefined) throw this.#invalid(`unsupported Avro type ${JSON.stringify(type)}`)
    if (type === 'int' && (connectType === 'int8' || connectType === 'int16')) base = connectType
    let schema = withProps<PrimitiveSchema>({ type: base, optional: false }, node)
    if (node.logicalType === 'decimal') {
      const scale = typeof node.scale === 'number' ? node.scale : 0
      schema = {
        ...schema,
        name: schema.name ?? semanticNames.connectDecimal,
        parameters: { [decimalScaleParameter]: String(scale), ...schema.parameters },
      }
    }
    const fallback = primitiveDefault(schema, node['connect.default'])
    return fallback === undefined ? schema : { ...schema, default: fallback }
  }

  #record(node: JsonObject, namespace: string | null): StructSchema {
    const fullName = this.#fullName(node, namespace)
    const space = fullName.includes('.') ? fullName.slice(0, fullName.lastIndexOf('.')) : null
    const fields = Array.isArray(node.fields) ? (node.fields as readonly Json[]) : []
    const built = fields.map((field) => {
      if (!isObject(field) || typeof field.name !== 'string') {
        throw this.#invalid(`record ${fullName} has a field without a name`)
      }
      return { name: field.name, schema: this.read(field.type ?? null, space) }
    })
    // Connect structs cannot refer to themselves, so registering after the fields is enough
    // for the later references (the envelope's `after` names the `before` record).
    const struct = withProps<StructSchema>(
      { type: 'struct', optional: false, name: fullName, fields: built },
      node,
    )
    this.#named.set(fullName, struct)
    return struct
  }

  #array(node: JsonObject, namespace: string | null): ConnectSchema {
    const items = this.read(node.items ?? null, namespace)
    // AvroData writes maps with non-string keys as arrays of key/value records.
    if (items.type === 'struct' && isMapEntry(node.items ?? null, items)) {
      const [key, value] = items.fields
      if (key !== undefined && value !== undefined) {
        return withProps(
          { type: 'map', optional: false, keys: key.schema, values: value.schema },
          node,
        )
      }
    }
    return withProps({ type: 'array', optional: false, items }, node)
  }

  #union(branches: readonly Json[], namespace: string | null): ConnectSchema {
    const others = branches.filter((branch) => branch !== 'null')
    const only = others[0]
    if (others.length !== 1 || only === undefined || branches.length > 2) {
      throw this.#invalid(
        `union ${JSON.stringify(branches)} is not a nullable type; only [null, T] unions are supported`,
      )
    }
    const schema = this.read(only, namespace)
    return branches.length === 2 ? { ...schema, optional: true } : schema
  }

  #reference(name: string, namespace: string | null): ConnectSchema {
    if (name in primitives) return { type: primitives[name] ?? 'string', optional: false }
    const qualified = name.includes('.') || namespace === null ? name : `${namespace}.${name}`
    const found = this.#named.get(qualified) ?? this.#named.get(name)
    if (found === undefined) throw this.#invalid(`unknown type name ${JSON.stringify(name)}`)
    return found
  }

  #define(node: JsonObject, namespace: string | null, schema: ConnectSchema): ConnectSchema {
    this.#named.set(this.#fullName(node, namespace), schema)
    return schema
  }

  #fullName(node: JsonObject, namespace: string | null): string {
    const name = typeof node.name === 'string' ? node.name : ''
    if (name === '') throw this.#invalid('a named type has no name')
    if (name.includes('.')) return name
    const space = typeof node.namespace === 'string' ? node.namespace : namespace
    return space === null || space === '' ? name : `${space}.${name}`
  }

  #invalid(reason: string): CdcError {
    return new CdcError(
      'CDC_ENRICH_INPUT_INVALID',
      `${this.#where}: ${reason}. The join reads the Avro schemas that Debezium-style connectors register`,
      { details: { schema: this.#where } },
    )
  }
}

function withProps<T extends ConnectSchema>(schema: T, node: JsonObject): T {
  const name = node['connect.name']
  const version = node['connect.version']
  const doc = node['connect.doc']
  const parameters = node['connect.parameters']
  return {
    ...schema,
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof version === 'number' ? { version } : {}),
    ...(typeof doc === 'string' ? { doc } : {}),
    ...(isObject(parameters)
      ? {
          parameters: Object.fromEntries(
            Object.entries(parameters).map(([k, v]) => [
              k,
              typeof v === 'string' ? v : JSON.stringify(v),
            ]),
          ),
        }
      : {}),
  }
}

/** A `connect.default` in Avro's JSON encoding (bytes as ISO-8859-1 text) as a Connect value. */
function primitiveDefault(
  schema: PrimitiveSchema,
  node: Json | undefined,
): ConnectValue | undefined {
  if (node === undefined || node === null) return undefined
  if (schema.type === 'bytes' && typeof node === 'string') {
    const bytes = new Uint8Array(Buffer.from(node, 'latin1'))
    if (schema.name !== semanticNames.connectDecimal) return bytes
    return new Decimal(
      bytesToUnscaled(bytes),
      Number(schema.parameters?.[decimalScaleParameter] ?? 0),
    )
  }
  if (schema.type === 'int64' && typeof node === 'number' && Number.isInteger(node))
    return BigInt(node)
  if (typeof node === 'number' || typeof node === 'string' || typeof node === 'boolean') return node
  return undefined
}

function isMapEntry(node: Json, items: StructSchema): boolean {
  const internal = isObject(node) && node['connect.internal.type'] === 'MapEntry'
  const names = items.fields.map((field) => field.name).join(',')
  return names === 'key,value' && (internal || items.name === 'io.confluent.connect.avro.MapEntry')
}

function isObject(node: Json | undefined): node is JsonObject {
  return typeof node === 'object' && node !== null && !Array.isArray(node)
}
