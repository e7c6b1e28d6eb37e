import type { ConnectValue, StructSchema } from '../envelope/connect-schema.ts'
import { Decimal } from '../envelope/connect-schema.ts'

/**
 * One text per table key, whatever format carried it: the foreign key read from a stream row
 * and the table record's key struct must meet in the store even when one side is JSON
 * without schemas (5) and the other Avro int64 (5n).
 */

/** The key text of a list of key column values, in key order. */
export function tableKeyText(values: readonly ConnectValue[]): string {
  return `[${values.map(valueText).join(',')}]`
}

/**
 * The values of a table record's key, in key order: the schema's field order when known,
 * else the JSON member order; a key that is not a struct is a one-column key.
 */
export function keyValues(key: ConnectValue, schema: StructSchema | null): ConnectValue[] {
  if (!isStruct(key)) return [key]
  if (schema !== null) return schema.fields.map((field) => key[field.name] ?? null)
  return Object.values(key)
}

export function keyFieldNames(key: ConnectValue, schema: StructSchema | null): string[] {
  if (!isStruct(key)) return ['(value)']
  return schema !== null ? schema.fields.map((field) => field.name) : Object.keys(key)
}

function valueText(value: ConnectValue): string {
  if (value === null) return 'null'
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number')
    return Number.isInteger(value) ? BigInt(value).toString() : `f${String(value)}`
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'boolean') return String(value)
  if (value instanceof Decimal) return `d${value.toString()}`
  if (value instanceof Uint8Array) return `b${Buffer.from(value).toString('base64')}`
  if (Array.isArray(value))
    return `[${(value as readonly ConnectValue[]).map(valueText).join(',')}]`
  if (value instanceof Map) {
    const entries = [...(value as ReadonlyMap<string, ConnectValue>)]
    return `m{${entries.map(([k, v]) => `${JSON.stringify(k)}:${valueText(v)}`).join(',')}}`
  }
  const struct = value as { readonly [field: string]: ConnectValue }
  return `{${Object.entries(struct)
    .map(([k, v]) => `${JSON.stringify(k)}:${valueText(v)}`)
    .join(',')}}`
}

function isStruct(value: ConnectValue): value is { readonly [field: string]: ConnectValue } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Decimal) &&
    !(value instanceof Map)
  )
}
