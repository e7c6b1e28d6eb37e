import { CdcError } from '../common/errors.ts'
import type { Payload } from './change-record.ts'
import type { ConnectSchema, ConnectValue } from './connect-schema.ts'
import { Decimal } from './connect-schema.ts'
import { unscaledToBytes } from './decimal-bytes.ts'
import type { JsonNode } from './java-json.ts'
import {
  JsonEntries,
  JsonNumberText,
  javaBigDecimalText,
  javaDoubleText,
  javaFloatText,
  stringifyJson,
} from './java-json.ts'
import { decimalScaleParameter, semanticNames } from './semantic-types.ts'

/**
 * Kafka Connect's JsonConverter output: with `schemas.enable` an envelope
 * `{"schema":…,"payload":…}` carrying Connect's own JSON schema form, without it the payload
 * alone. int64 is written exactly (never through a JS number), bytes and (by default)
 * decimals as base64, floats as Java prints them.
 */

export const decimalFormats = ['BASE64', 'NUMERIC'] as const
export type DecimalFormat = (typeof decimalFormats)[number]

export interface JsonFormatOptions {
  /** `schemas.enable` (default true). */
  schemasEnable?: boolean
  /** `decimal.format` (default BASE64). */
  decimalFormat?: DecimalFormat
  /** `replace.null.with.default` (default true): a null field with a default writes the default. */
  replaceNullWithDefault?: boolean
}

/** The record key or value as JsonConverter's bytes; null (a tombstone or null key) stays null. */
export function toConnectJson(
  payload: Payload | null,
  options: JsonFormatOptions = {},
): Buffer | null {
  const text = toConnectJsonText(payload, options)
  return text === null ? null : Buffer.from(text, 'utf8')
}

export function toConnectJsonText(
  payload: Payload | null,
  options: JsonFormatOptions = {},
): string | null {
  if (payload === null) return null
  const settings = {
    decimalFormat: options.decimalFormat ?? 'BASE64',
    replaceNullWithDefault: options.replaceNullWithDefault ?? true,
  }
  const body = stringifyJson(toJsonValue(payload.schema, payload.value, settings, ''))
  if (options.schemasEnable === false) return body
  return `{"schema":${connectJsonSchemaText(payload.schema)},"payload":${body}}`
}

const schemaTexts = new WeakMap<ConnectSchema, string>()

/** Connect's JSON form of a schema (`JsonConverter.asJsonSchema`), as text. */
export function connectJsonSchemaText(schema: ConnectSchema): string {
  let text = schemaTexts.get(schema)
  if (text === undefined) {
    text = stringifyJson(connectJsonSchema(schema))
    schemaTexts.set(schema, text)
  }
  return text
}

const jsonTypeNames: Record<ConnectSchema['type'], string> = {
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  float32: 'float',
  float64: 'double',
  boolean: 'boolean',
  string: 'string',
  bytes: 'bytes',
  array: 'array',
  map: 'map',
  struct: 'struct',
}

/** Connect's JSON form of a schema, members in JsonConverter's order. */
export function connectJsonSchema(schema: ConnectSchema): Record<string, JsonNode> {
  const node: Record<string, JsonNode> = { type: jsonTypeNames[schema.type] }
  if (schema.type === 'array') node.items = connectJsonSchema(schema.items)
  if (schema.type === 'map') {
    node.keys = connectJsonSchema(schema.keys)
    node.values = connectJsonSchema(schema.values)
  }
  if (schema.type === 'struct') {
    node.fields = schema.fields.map((field) => ({
      ...connectJsonSchema(field.schema),
      field: field.name,
    }))
  }
  node.optional = schema.optional
  if (schema.name !== undefined) node.name = schema.name
  if (schema.version !== undefined) node.version = schema.version
  if (schema.doc !== undefined) node.doc = schema.doc
  if (schema.parameters !== undefined) {
    node.parameters = new JsonEntries(Object.entries(schema.parameters))
  }
  if (schema.default !== undefined && schema.default !== null) {
    node.default = toJsonValue(schema, schema.default, schemaDefaults, schema.name ?? schema.type)
  }
  return node
}

interface Settings {
  decimalFormat: DecimalFormat
  replaceNullWithDefault: boolean
}

// asJsonSchema renders defaults through the converter's own settings; BASE64 is the default.
const schemaDefaults: Settings = { decimalFormat: 'BASE64', replaceNullWithDefault: true }

function toJsonValue(
  schema: ConnectSchema,
  value: ConnectValue | undefined,
  settings: Settings,
  path: string,
): JsonNode {
  if (value === null || value === undefined) {
    if (
      schema.default !== undefined &&
      schema.default !== null &&
      settings.replaceNullWithDefault
    ) {
      return toJsonValue(schema, schema.default, settings, path)
    }
    if (schema.optional) return null
    throw new CdcError(
      'CDC_ENVELOPE_INVALID_VALUE',
      `field ${path || '(root)'}: null for a required field without a default cannot be written as JSON`,
      { details: { field: path } },
    )
  }
  if (value instanceof Decimal && schema.name === semanticNames.connectDecimal) {
    const scale = Number(schema.parameters?.[decimalScaleParameter] ?? value.scale)
    const exact = value.rescale(scale)
    return settings.decimalFormat === 'NUMERIC'
      ? new JsonNumberText(javaBigDecimalText(exact.unscaled, exact.scale))
      : base64(unscaledToBytes(exact.unscaled))
  }
  switch (schema.type) {
    case 'float32':
      return new JsonNumberText(javaFloatText(value as number))
    case 'float64':
      return new JsonNumberText(javaDoubleText(value as number))
    case 'bytes':
      return base64(value as Uint8Array)
    case 'array':
      return (value as readonly ConnectValue[]).map((item, index) =>
        toJsonValue(schema.items, item, settings, `${path}[${index}]`),
      )
    case 'map': {
      const entries = [...(value as ReadonlyMap<string, ConnectValue>)]
      if (schema.keys.type === 'string') {
        return new JsonEntries(
          entries.map(([k, v]) => [k, toJsonValue(schema.values, v, settings, `${path}[${k}]`)]),
        )
      }
      return entries.map(([k, v]) => [
        toJsonValue(schema.keys, k, settings, `${path}(key)`),
        toJsonValue(schema.values, v, settings, `${path}(value)`),
      ])
    }
    case 'struct': {
      const struct = value as { readonly [field: string]: ConnectValue }
      return new JsonEntries(
        schema.fields.map((field) => [
          field.name,
          toJsonValue(
            field.schema,
            struct[field.name],
            settings,
            path ? `${path}.${field.name}` : field.name,
          ),
        ]),
      )
    }
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'boolean':
    case 'string':
      return value as JsonNode
  }
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}
