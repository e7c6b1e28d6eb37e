import avro from 'avsc'
import { CdcError, errorMessage } from '../common/errors.ts'

/**
 * An Avro schema as the registry sees it. `canonical` is what the registry stores, returns
 * and compares: two schemas are "the same schema" exactly when their canonical texts are
 * equal, so whitespace, key order and equivalent spellings of names do not matter, while
 * docs, defaults, aliases and custom properties do (Confluent compares Avro's
 * `Schema.toString()` of the parsed schema the same way).
 */
export interface AvroSchema {
  readonly canonical: string
  /** avsc's type, for compatibility checks only (encoding stays with the envelope module). */
  readonly type: avro.Type
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

const primitives = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'])

/** Parses and validates schema text; throws CDC_REG_INVALID_SCHEMA (Confluent 42201). */
export function parseAvroSchema(text: string): AvroSchema {
  let json: Json
  try {
    json = JSON.parse(text) as Json
  } catch (error) {
    throw invalid(`it is not JSON (${errorMessage(error)})`, error)
  }
  let type: avro.Type
  try {
    // Java Avro, and so Confluent, requires names on records, enums and fixed.
    type = avro.Type.forSchema(json as avro.Schema, { noAnonymousTypes: true })
  } catch (error) {
    throw invalid(errorMessage(error), error)
  }
  return { canonical: JSON.stringify(canonicalize(json, '')), type }
}

function invalid(reason: string, cause: unknown): CdcError {
  return new CdcError(
    'CDC_REG_INVALID_SCHEMA',
    `Invalid Avro schema: ${reason}. Fix the schema so that it follows the Avro specification.`,
    { cause },
  )
}

/**
 * Rewrites a valid schema in one fixed form, following Java's `Schema.toString()`: named
 * types carry their short name plus a namespace only where it differs from the enclosing
 * one, references are written relative to the enclosing namespace, `{"type": "int"}` is
 * just `"int"`, `order: ascending` is dropped. Custom properties keep their values but are
 * sorted by key, since their order carries no meaning.
 */
function canonicalize(schema: Json, namespace: string): Json {
  if (typeof schema === 'string') return reference(schema, namespace)
  if (Array.isArray(schema)) return schema.map((branch) => canonicalize(branch, namespace))
  if (schema === null || typeof schema !== 'object') return schema
  const type = schema.type
  if (typeof type !== 'string') return canonicalize(type ?? null, namespace)
  switch (type) {
    case 'record':
    case 'error':
    case 'enum':
    case 'fixed':
      return named(schema, type, namespace)
    case 'array':
      return withProps({ type, items: canonicalize(schema.items ?? null, namespace) }, schema)
    case 'map':
      return withProps({ type, values: canonicalize(schema.values ?? null, namespace) }, schema)
    default: {
      const out = withProps({ type: reference(type, namespace) }, schema)
      return Object.keys(out).length === 1 ? (out.type ?? null) : out
    }
  }
}

function named(schema: JsonObject, type: string, enclosing: string): JsonObject {
  const { namespace, shortName } = resolveName(schema, enclosing)
  const out: JsonObject = { type, name: shortName }
  if (namespace !== enclosing) out.namespace = namespace
  if (typeof schema.doc === 'string') out.doc = schema.doc
  if (type === 'record' || type === 'error') {
    const fields = Array.isArray(schema.fields) ? schema.fields : []
    out.fields = fields.map((field) => canonicalField(field as JsonObject, namespace))
  } else if (type === 'enum') {
    out.symbols = schema.symbols ?? []
    if (schema.default !== undefined) out.default = schema.default
  } else {
    out.size = schema.size ?? null
  }
  withProps(out, schema)
  if (Array.isArray(schema.aliases)) {
    out.aliases = schema.aliases.map((alias) => reference(asText(alias), namespace))
  }
  return out
}

function canonicalField(field: JsonObject, namespace: string): JsonObject {
  const out: JsonObject = {
    name: field.name ?? null,
    type: canonicalize(field.type ?? null, namespace),
  }
  if (typeof field.doc === 'string') out.doc = field.doc
  if (field.default !== undefined) out.default = sortKeys(field.default)
  if (field.order !== undefined && field.order !== 'ascending') out.order = field.order
  withProps(out, field, fieldKeys)
  if (Array.isArray(field.aliases)) out.aliases = field.aliases
  return out
}

const schemaKeys = new Set([
  'type',
  'name',
  'namespace',
  'doc',
  'aliases',
  'fields',
  'symbols',
  'default',
  'size',
  'items',
  'values',
])
const fieldKeys = new Set(['name', 'type', 'doc', 'default', 'order', 'aliases'])

/** Appends the custom properties (logicalType, connect.name, ...) sorted by key. */
function withProps(out: JsonObject, source: JsonObject, reserved = schemaKeys): JsonObject {
  for (const key of Object.keys(source).sort()) {
    const value = source[key]
    if (!reserved.has(key) && value !== undefined) out[key] = sortKeys(value)
  }
  return out
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const out: JsonObject = {}
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key] ?? null)
  return out
}

function resolveName(
  schema: JsonObject,
  enclosing: string,
): { namespace: string; shortName: string } {
  const name = asText(schema.name)
  const dot = name.lastIndexOf('.')
  if (dot >= 0) return { namespace: name.slice(0, dot), shortName: name.slice(dot + 1) }
  const declared = schema.namespace
  return { namespace: typeof declared === 'string' ? declared : enclosing, shortName: name }
}

/** A primitive name as is; a named type relative to the enclosing namespace. */
function reference(name: string, namespace: string): string {
  if (primitives.has(name)) return name
  const full = name.includes('.') || namespace === '' ? name : `${namespace}.${name}`
  const dot = full.lastIndexOf('.')
  return dot >= 0 && full.slice(0, dot) === namespace ? full.slice(dot + 1) : full
}

/** avsc has validated the schema, so names are strings; this only satisfies the types. */
function asText(value: Json | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null)
}
