import { CdcError } from '../common/errors.ts'
import { avroDefault, hasStringKeys } from './avro-default.ts'
import { checkAvroName } from './avro-names.ts'
import type { ConnectSchema, StructField } from './connect-schema.ts'
import type { JsonNode } from './java-json.ts'
import { JsonEntries, stringifyJson } from './java-json.ts'
import { requiredSchemaKey, schemaKey } from './schema-key.ts'
import {
  decimalPrecisionParameter,
  decimalScaleParameter,
  semanticNames,
} from './semantic-types.ts'

/**
 * Connect schema -> Avro schema exactly as Confluent's AvroData (default settings) builds it
 * and Avro's `Schema.toString()` prints it: the same `connect.*` properties in the same
 * order, optional types as unions with null, int8/int16 as int with `connect.type`, Connect's
 * Decimal/Date/Time/Timestamp as Avro logical types, records named from the Connect name and
 * written once, then referred to by name.
 */

/** An Avro schema as a JSON tree; `stringifyJson` gives the text Java would register. */
export type AvroSchema = JsonNode

const avroNamespace = 'io.confluent.connect.avro'
const defaultDecimalPrecision = 64
const recordDocParameter = `${avroNamespace}.record.doc`
const fieldDocPrefix = `${avroNamespace}.field.doc.`
const fieldDefaultFlag = `${avroNamespace}.field.default`

const trees = new WeakMap<ConnectSchema, AvroSchema>()
const texts = new WeakMap<ConnectSchema, string>()

export function toAvroSchema(schema: ConnectSchema): AvroSchema {
  let tree = trees.get(schema)
  if (tree === undefined) {
    tree = new AvroWriter(schema.name ?? schema.type).type(schema)
    trees.set(schema, tree)
  }
  return tree
}

/** The schema text as Avro Java prints it, for registering and for comparing. */
export function avroSchemaText(schema: ConnectSchema): string {
  let text = texts.get(schema)
  if (text === undefined) {
    text = stringifyJson(toAvroSchema(schema))
    texts.set(schema, text)
  }
  return text
}

class AvroWriter {
  readonly #where: string
  /** Records written so far: full name -> identity of what was written under it. */
  readonly #records = new Map<string, string>()
  /** Connect names met as field schemas; AvroData repeats parameters on later ones. */
  readonly #seenNames = new Set<string>()
  /** Avro's default namespace at the current point of writing. */
  #namespace: string | null = null

  constructor(where: string) {
    this.#where = where
  }

  type(schema: ConnectSchema): AvroSchema {
    if (schema.type === 'struct' && schema.optional) {
      // AvroData wraps optional structs before any property is added, null first always.
      return ['null', this.type({ ...schema, optional: false })]
    }
    const base = this.#base(schema)
    if (!schema.optional) return base
    return schema.default === undefined || schema.default === null ? ['null', base] : [base, 'null']
  }

  #base(schema: ConnectSchema): AvroSchema {
    if (schema.type === 'array') {
      return this.#withProps(schema, { type: 'array', items: this.type(schema.items) })
    }
    if (schema.type === 'map') {
      return hasStringKeys(schema)
        ? this.#withProps(schema, { type: 'map', values: this.type(schema.values) })
        : this.#withProps(schema, { type: 'array', items: this.#mapEntry(schema) })
    }
    return schema.type === 'struct' ? this.#record(schema) : this.#primitive(schema)
  }

  #primitive(schema: ConnectSchema): AvroSchema {
    const props: Record<string, JsonNode> = {}
    if (isNamed(schema, semanticNames.connectDecimal)) {
      props.scale = decimalScale(schema, this.#where)
      props.precision = decimalPrecision(schema)
    }
    this.#addConnectProps(schema, props, schema.type === 'int8' || schema.type === 'int16')
    const name = primitiveTypes[schema.type as keyof typeof primitiveTypes]
    return Object.keys(props).length === 0 ? name : { type: name, ...props }
  }

  #withProps(schema: ConnectSchema, complex: Record<string, JsonNode>): AvroSchema {
    this.#addConnectProps(schema, complex, false)
    return complex
  }

  #addConnectProps(schema: ConnectSchema, props: Record<string, JsonNode>, smallInt: boolean) {
    if (schema.doc !== undefined) props['connect.doc'] = schema.doc
    if (schema.version !== undefined) props['connect.version'] = schema.version
    const parameters = Object.entries(schema.parameters ?? {}).filter(
      ([key]) => key !== fieldDefaultFlag,
    )
    if (parameters.length > 0) props['connect.parameters'] = new JsonEntries(parameters)
    if (
      schema.default !== undefined &&
      schema.default !== null &&
      schema.parameters?.[fieldDefaultFlag] === undefined
    ) {
      props['connect.default'] = avroDefault(schema, schema.default)
    }
    if (schema.name !== undefined) props['connect.name'] = schema.name
    if (smallInt) props['connect.type'] = schema.type
    const logicalType = logicalTypeOf(schema)
    if (logicalType !== undefined) props.logicalType = logicalType
    for (const [key, value] of Object.entries(schema.parameters ?? {})) {
      if (key.startsWith('avro') && props[key] === undefined) props[key] = value
    }
  }

  #record(schema: ConnectSchema & { type: 'struct' }): AvroSchema {
    const identity = requiredSchemaKey(schema)
    const reference = this.#reference(schema.name, identity)
    if (reference !== undefined) return reference
    const [namespace, name] = splitName(schema.name)
    const record: Record<string, JsonNode> = { type: 'record', ...this.#name(namespace, name) }
    const doc = schema.parameters?.[recordDocParameter]
    if (doc !== undefined) record.doc = doc
    record.fields = this.#inNamespace(namespace, () =>
      schema.fields.map((field) =>
        this.#field(field, schema.parameters?.[`${fieldDocPrefix}${field.name}`]),
      ),
    )
    this.#addConnectProps(schema, record, false)
    return record
  }

  /** AvroData's map with non-string keys: an array of key/value records. */
  #mapEntry(schema: ConnectSchema & { type: 'map' }): AvroSchema {
    const fullName = schema.name ?? `${avroNamespace}.MapEntry`
    const identity = `map-entry:${schemaKey(schema.keys)}:${schemaKey(schema.values)}`
    const reference = this.#reference(fullName, identity)
    if (reference !== undefined) return reference
    const [namespace, name] = splitName(fullName)
    const record: Record<string, JsonNode> = { type: 'record', ...this.#name(namespace, name) }
    record.fields = this.#inNamespace(namespace, () => [
      this.#field({ name: 'key', schema: schema.keys }),
      this.#field({ name: 'value', schema: schema.values }),
    ])
    if (schema.name !== undefined) record['connect.internal.type'] = 'MapEntry'
    return record
  }

  /** The bare name if this record was written already; registers it otherwise. */
  #reference(fullName: string, identity: string): AvroSchema | undefined {
    const written = this.#records.get(fullName)
    if (written === undefined) {
      this.#records.set(fullName, identity)
      return undefined
    }
    if (written !== identity) {
      throw new CdcError(
        'CDC_ENVELOPE_UNSUPPORTED_TYPE',
        `schema ${this.#where} uses the record name ${fullName} for two different structs; ` +
          'Avro cannot define a name twice. Give the structs distinct names',
        { details: { schema: this.#where, record: fullName } },
      )
    }
    const [namespace, name] = splitName(fullName)
    return namespace === null || namespace === this.#namespace ? name : fullName
  }

  #name(namespace: string | null, name: string): Record<string, JsonNode> {
    checkAvroName(name, 'record name', this.#where)
    for (const part of namespace?.split('.') ?? []) checkAvroName(part, 'namespace', this.#where)
    if (namespace === this.#namespace) return { name }
    return { name, namespace: namespace ?? '' }
  }

  #inNamespace<T>(namespace: string | null, write: () => T): T {
    const saved = this.#namespace
    this.#namespace = namespace
    try {
      return write()
    } finally {
      this.#namespace = saved
    }
  }

  #field(field: StructField, doc?: string): Record<string, JsonNode> {
    checkAvroName(field.name, 'field name', this.#where)
    const { schema } = field
    const alreadySeen = schema.name !== undefined && this.#seenNames.has(schema.name)
    if (schema.name !== undefined) this.#seenNames.add(schema.name)
    const type = this.type(schema)
    const result: Record<string, JsonNode> = { name: field.name, type }
    if (doc !== undefined) result.doc = doc
    if (schema.default !== undefined && schema.default !== null) {
      // Avro rejects a default that does not match the union's first branch, and AvroData
      // then drops it: optional structs always put null first.
      if (!(Array.isArray(type) && type[0] === 'null')) {
        result.default = avroDefault(schema, schema.default, true)
      }
    } else if (schema.optional) {
      result.default = null
    }
    const parameters = Object.entries(schema.parameters ?? {}).filter(
      ([key]) => key !== fieldDefaultFlag,
    )
    if (alreadySeen && parameters.length > 0 && isNamedAvroType(type)) {
      result['connect.parameters'] = new JsonEntries(parameters)
    }
    return result
  }
}

function isNamed(schema: ConnectSchema, name: string): boolean {
  return schema.name?.toLowerCase() === name.toLowerCase()
}

const primitiveTypes = {
  int8: 'int',
  int16: 'int',
  int32: 'int',
  int64: 'long',
  float32: 'float',
  float64: 'double',
  boolean: 'boolean',
  string: 'string',
  bytes: 'bytes',
} as const

function decimalScale(schema: ConnectSchema, where: string): number {
  const scale = Number(schema.parameters?.[decimalScaleParameter] ?? Number.NaN)
  if (Number.isInteger(scale)) return scale
  throw new CdcError(
    'CDC_ENVELOPE_UNSUPPORTED_TYPE',
    `schema ${where} has a Decimal without a whole-number "${decimalScaleParameter}" parameter; ` +
      'build decimal schemas with connectDecimal()',
    { details: { schema: where } },
  )
}

function decimalPrecision(schema: ConnectSchema): number {
  const text = schema.parameters?.[decimalPrecisionParameter]
  return text === undefined ? defaultDecimalPrecision : Number(text)
}

function logicalTypeOf(schema: ConnectSchema): string | undefined {
  if (isNamed(schema, semanticNames.connectDecimal)) return 'decimal'
  if (isNamed(schema, semanticNames.connectTime)) return 'time-millis'
  if (isNamed(schema, semanticNames.connectTimestamp)) return 'timestamp-millis'
  if (isNamed(schema, semanticNames.connectDate)) return 'date'
  return undefined
}

function isNamedAvroType(type: AvroSchema): boolean {
  const branches = Array.isArray(type) ? (type as readonly AvroSchema[]) : [type]
  return branches.some((branch) =>
    typeof branch === 'string'
      ? !primitiveNames.has(branch)
      : typeof branch === 'object' &&
        branch !== null &&
        !Array.isArray(branch) &&
        ['record', 'enum', 'fixed'].includes(String((branch as { type?: unknown }).type)),
  )
}

const primitiveNames = new Set([
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
])

/** Avro's split of a full name at its last dot; no dot means no namespace. */
function splitName(fullName: string): [string | null, string] {
  const dot = fullName.lastIndexOf('.')
  return dot < 0 ? [null, fullName] : [fullName.slice(0, dot), fullName.slice(dot + 1)]
}
