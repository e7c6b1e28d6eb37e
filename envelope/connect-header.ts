import type { ConnectSchema, ConnectValue } from './connect-schema.ts'
import { Decimal } from './connect-schema.ts'
import { javaBigDecimalText, javaDoubleText, javaFloatText } from './java-json.ts'
import { semanticNames } from './semantic-types.ts'
import { isStructValue } from './validate-value.ts'

/**
 * Header values as Kafka Connect's default SimpleHeaderConverter writes them
 * (`Values.convertToString`), so `__debezium.oldkey` reads `{"id":1}` exactly as it does
 * behind a Debezium connector.
 */
export function connectHeaderText(schema: ConnectSchema, value: ConnectValue): string {
  return append(schema, value, false)
}

const millisPerDay = 86_400_000

function append(schema: ConnectSchema, value: ConnectValue | undefined, embedded: boolean): string {
  if (value === null || value === undefined) return 'null'
  if (schema.name === semanticNames.connectDate) return formatJavaDate(Number(value) * millisPerDay)
  if (schema.name === semanticNames.connectTime || schema.name === semanticNames.connectTimestamp) {
    return formatJavaDate(Number(value))
  }
  if (value instanceof Decimal) return javaBigDecimalText(value.unscaled, value.scale)
  if (typeof value === 'string') {
    return embedded ? quote(value) : value
  }
  if (typeof value === 'number') {
    if (schema.type === 'float64') return stripQuotes(javaDoubleText(value))
    if (schema.type === 'float32') return stripQuotes(javaFloatText(value))
    return String(value)
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  if (value instanceof Uint8Array) {
    const base64 = Buffer.from(value).toString('base64')
    return embedded ? `"${base64}"` : base64
  }
  if (Array.isArray(value)) {
    const items = schema.type === 'array' ? schema.items : schema
    return `[${(value as readonly ConnectValue[]).map((item) => append(items, item, true)).join(',')}]`
  }
  if (value instanceof Map) {
    if (schema.type !== 'map') return '{}'
    const entries = [...(value as ReadonlyMap<string, ConnectValue>)].map(
      ([key, item]) => `${append(schema.keys, key, true)}:${append(schema.values, item, true)}`,
    )
    return `{${entries.join(',')}}`
  }
  if (schema.type !== 'struct' || !isStructValue(value)) {
    throw new TypeError(`a ${schema.type} schema cannot hold an object value`)
  }
  const struct: { readonly [field: string]: ConnectValue } = value
  const fields = schema.fields.map(
    (field) => `${quote(field.name)}:${append(field.schema, struct[field.name], true)}`,
  )
  return `{${fields.join(',')}}`
}

function quote(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
}

// Java prints NaN and infinities bare here; only the JSON writer quotes them.
function stripQuotes(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1) : text
}

// Values.dateFormatFor picks the pattern from the instant itself; Connect workers run in
// UTC in practice, which is what this assumes.
function formatJavaDate(millis: number): string {
  const iso = new Date(millis).toISOString()
  if (millis < millisPerDay) return `${iso.slice(11, 23)}Z`
  if (millis % millisPerDay === 0) return iso.slice(0, 10)
  return iso
}
