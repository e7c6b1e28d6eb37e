import { CdcError } from '../common/errors.ts'
import type { ConnectSchema, ConnectValue, StructField } from '../envelope/connect-schema.ts'
import { Decimal } from '../envelope/connect-schema.ts'
import { bytesToUnscaled } from '../envelope/decimal-bytes.ts'
import { decimalScaleParameter, semanticNames } from '../envelope/semantic-types.ts'
import type { ExactJson } from './exact-json.ts'
import { ExactNumber, isJsonObject } from './exact-json.ts'

/**
 * The inverse of envelope/json-format.ts: Connect's JSON schema form back into a
 * ConnectSchema, and JsonConverter payloads back into Connect values (int64 as bigint,
 * decimals exact, bytes as Uint8Array). Anything that does not fit its schema is an error.
 */

const typeNames: Readonly<Record<string, ConnectSchema['type']>> = {
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  float: 'float32',
  double: 'float64',
  boolean: 'boolean',
  string: 'string',
  bytes: 'bytes',
  array: 'array',
  map: 'map',
  struct: 'struct',
}

// AvroData's name for structs that have none.
const unnamedStruct = 'io.confluent.connect.avro.ConnectDefault'

/** A schema in Connect's JSON form (`{"type":"struct","fields":[...],...}`). */
export function connectSchemaFromJson(node: ExactJson, where: string): ConnectSchema {
  if (!isJsonObject(node)) throw invalid(where, 'a schema is not a JSON object')
  const type = typeof node.type === 'string' ? typeNames[node.type] : undefined
  if (type === undefined) throw invalid(where, `unknown schema type ${JSON.stringify(node.type)}`)
  const base = {
    optional: node.optional === true,
    ...(typeof node.name === 'string' ? { name: node.name } : {}),
    ...(node.version instanceof ExactNumber ? { version: Number(node.version.text) } : {}),
    ...(typeof node.doc === 'string' ? { doc: node.doc } : {}),
    ...(isJsonObject(node.parameters) ? { parameters: stringMap(node.parameters) } : {}),
  }
  let schema: ConnectSchema
  if (type === 'array') {
    schema = { ...base, type, items: connectSchemaFromJson(node.items ?? null, `${where}[]`) }
  } else if (type === 'map') {
    schema = {
      ...base,
      type,
      keys: connectSchemaFromJson(node.keys ?? null, `${where}(key)`),
      values: connectSchemaFromJson(node.values ?? null, `${where}(value)`),
    }
  } else if (type === 'struct') {
    const fields = Array.isArray(node.fields) ? (node.fields as readonly ExactJson[]) : []
    schema = {
      ...base,
      type,
      name: base.name ?? unnamedStruct,
      fields: fields.map((field): StructField => {
        const name = isJsonObject(field) && typeof field.field === 'string' ? field.field : null
        if (name === null) throw invalid(where, 'a struct field has no "field" name')
        return { name, schema: connectSchemaFromJson(field, `${where}.${name}`) }
      }),
    }
  } else {
    schema = { ...base, type }
  }
  if (node.default === undefined || node.default === null) return schema
  return { ...schema, default: connectValueFromJson(schema, node.default, `${where} (default)`) }
}

/** A JsonConverter payload read with its schema. */
export function connectValueFromJson(
  schema: ConnectSchema,
  node: ExactJson | undefined,
  where: string,
): ConnectValue {
  if (node === null || node === undefined) {
    if (schema.default !== undefined) return schema.default
    if (schema.optional) return null
    throw invalid(where, 'null for a required field')
  }
  if (schema.name === semanticNames.connectDecimal && schema.type === 'bytes') {
    return decimalFromJson(schema, node, where)
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
      return Number(integerText(node, where))
    case 'int64':
      return BigInt(integerText(node, where))
    case 'float32':
    case 'float64':
      return floatFromJson(node, where)
    case 'boolean':
      if (typeof node !== 'boolean') throw invalid(where, 'expected true or false')
      return node
    case 'string':
      if (typeof node !== 'string') throw invalid(where, 'expected a string')
      return node
    case 'bytes':
      return base64(node, where)
    case 'array':
      if (!Array.isArray(node)) throw invalid(where, 'expected an array')
      return (node as readonly ExactJson[]).map((item, index) =>
        connectValueFromJson(schema.items, item, `${where}[${index}]`),
      )
    case 'map':
      return mapFromJson(schema, node, where)
    case 'struct': {
      if (!isJsonObject(node)) throw invalid(where, 'expected an object')
      const struct: Record<string, ConnectValue> = {}
      for (const field of schema.fields) {
        struct[field.name] = connectValueFromJson(
          field.schema,
          node[field.name],
          `${where}.${field.name}`,
        )
      }
      return struct
    }
  }
}

/** A payload written without a schema: integers past 2^53 as bigint, objects as structs. */
export function schemalessValue(node: ExactJson): ConnectValue {
  if (node instanceof ExactNumber) {
    if (!node.isInteger) return Number(node.text)
    const value = Number(node.text)
    return Number.isSafeInteger(value) ? value : BigInt(node.text)
  }
  if (Array.isArray(node)) return (node as readonly ExactJson[]).map(schemalessValue)
  if (isJsonObject(node)) {
    const struct: Record<string, ConnectValue> = {}
    for (const [key, value] of Object.entries(node)) struct[key] = schemalessValue(value)
    return struct
  }
  return node as ConnectValue
}

function mapFromJson(schema: ConnectSchema & { type: 'map' }, node: ExactJson, where: string) {
  if (isJsonObject(node) && schema.keys.type === 'string') {
    return new Map(
      Object.entries(node).map(([key, value]) => [
        key,
        connectValueFromJson(schema.values, value, `${where}[${key}]`),
      ]),
    )
  }
  if (!Array.isArray(node)) throw invalid(where, 'expected a map (object or array of pairs)')
  return new Map(
    (node as readonly ExactJson[]).map((pair, index) => {
      if (!Array.isArray(pair) || pair.length !== 2)
        throw invalid(where, 'expected [key, value] pairs')
      const [key, value] = pair as readonly ExactJson[]
      // Connect values type map keys as strings; non-string keys travel as-is, as in avro-codec.
      return [
        connectValueFromJson(schema.keys, key, `${where}(key ${index})`) as string,
        connectValueFromJson(schema.values, value, `${where}(value ${index})`),
      ]
    }),
  )
}

function decimalFromJson(schema: ConnectSchema, node: ExactJson, where: string): Decimal {
  const scale = Number(schema.parameters?.[decimalScaleParameter] ?? Number.NaN)
  if (!Number.isInteger(scale)) throw invalid(where, 'a Decimal schema without a "scale" parameter')
  if (typeof node === 'string') return new Decimal(bytesToUnscaled(base64(node, where)), scale)
  if (!(node instanceof ExactNumber)) throw invalid(where, 'expected a decimal (base64 or number)')
  // decimal.format=NUMERIC writes BigDecimal.toString(), which may use an exponent.
  const match = /^([+-]?\d*(?:\.\d*)?)(?:[eE]([+-]?\d+))?$/.exec(node.text)
  if (match === null) throw invalid(where, `${node.text} is not a decimal number`)
  const mantissa = Decimal.parse(match[1] ?? '')
  const exponent = Number(match[2] ?? '0')
  const exact = new Decimal(mantissa.unscaled, mantissa.scale - exponent)
  try {
    return exact.rescale(scale)
  } catch (error) {
    throw invalid(where, `${node.text} does not fit scale ${scale}`, error)
  }
}

function floatFromJson(node: ExactJson, where: string): number {
  if (node instanceof ExactNumber) return Number(node.text)
  // Jackson writes non-finite doubles as strings.
  if (node === 'NaN') return Number.NaN
  if (node === 'Infinity') return Number.POSITIVE_INFINITY
  if (node === '-Infinity') return Number.NEGATIVE_INFINITY
  throw invalid(where, 'expected a number')
}

function integerText(node: ExactJson, where: string): string {
  if (node instanceof ExactNumber && node.isInteger) return node.text
  throw invalid(where, 'expected an integer')
}

function base64(node: ExactJson, where: string): Uint8Array {
  if (typeof node !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(node)) {
    throw invalid(where, 'expected base64 text')
  }
  return new Uint8Array(Buffer.from(node, 'base64'))
}

function stringMap(node: { readonly [key: string]: ExactJson }): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      value instanceof ExactNumber
        ? value.text
        : typeof value === 'string'
          ? value
          : JSON.stringify(value)
  }
  return out
}

function invalid(where: string, reason: string, cause?: unknown): CdcError {
  return new CdcError(
    'CDC_ENRICH_INPUT_INVALID',
    `${where}: ${reason} in Connect JSON; check the converter settings of the topic's producer`,
    { details: { field: where }, ...(cause === undefined ? {} : { cause }) },
  )
}
