import type { ConnectSchema, ConnectValue } from './connect-schema.ts'
import { Decimal } from './connect-schema.ts'

/**
 * A string that is equal for two Connect schemas exactly when Connect's
 * `ConnectSchema.equals` would call them equal. Converters cache by it, and the Avro
 * mapping uses it to tell a repeated record from a clash of two records with one name.
 */
export function schemaKey(schema: ConnectSchema): string {
  let key = keys.get(schema)
  if (key === undefined) {
    key = JSON.stringify(describe(schema))
    keys.set(schema, key)
  }
  return key
}

/** The key of the same schema with `optional` forced to false (Connect's nonOptional copy). */
export function requiredSchemaKey(schema: ConnectSchema): string {
  return schema.optional ? schemaKey({ ...schema, optional: false }) : schemaKey(schema)
}

const keys = new WeakMap<ConnectSchema, string>()

function describe(schema: ConnectSchema): unknown {
  const base = [
    schema.type,
    schema.optional,
    schema.name ?? null,
    schema.version ?? null,
    schema.doc ?? null,
    schema.parameters === undefined ? null : Object.entries(schema.parameters),
    schema.default === undefined ? null : valueKey(schema.default),
  ]
  if (schema.type === 'array') return [...base, schemaKey(schema.items)]
  if (schema.type === 'map') return [...base, schemaKey(schema.keys), schemaKey(schema.values)]
  if (schema.type === 'struct') {
    return [...base, schema.fields.map((field) => [field.name, schemaKey(field.schema)])]
  }
  return base
}

/** A JSON-safe rendering of a value that keeps every distinction between values. */
export function valueKey(value: ConnectValue | undefined): unknown {
  if (value === undefined || value === null) return null
  if (typeof value === 'bigint') return { int64: value.toString() }
  if (typeof value === 'number') return Number.isFinite(value) ? value : { number: String(value) }
  if (typeof value !== 'object') return value
  if (value instanceof Decimal) return { decimal: [value.unscaled.toString(), value.scale] }
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('hex') }
  if (Array.isArray(value)) return (value as readonly ConnectValue[]).map(valueKey)
  if (value instanceof Map) {
    return {
      map: [...(value as ReadonlyMap<string, ConnectValue>)].map(([k, v]) => [k, valueKey(v)]),
    }
  }
  const struct = value as { readonly [field: string]: ConnectValue }
  return { struct: Object.entries(struct).map(([k, v]) => [k, valueKey(v)]) }
}
