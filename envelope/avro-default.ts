import type { ConnectSchema, ConnectValue } from './connect-schema.ts'
import { Decimal } from './connect-schema.ts'
import { unscaledToBytes } from './decimal-bytes.ts'
import type { JsonNode } from './java-json.ts'
import { JsonEntries, JsonNumberText, javaDoubleText, javaFloatText } from './java-json.ts'
import { decimalScaleParameter, semanticNames } from './semantic-types.ts'
import { isStructValue } from './validate-value.ts'

/**
 * Defaults in Avro's JSON encoding, as AvroData's `defaultValueFromConnect` writes them:
 * bytes (and decimals' unscaled bytes) as ISO-8859-1 strings, maps with non-string keys as
 * `[key, value]` pairs.
 *
 * AvroData writes this tree into `connect.default` directly, but the field `default` goes
 * through Avro's JacksonUtils first, which widens a float to double; `forField` repeats that
 * so `0.1` reads `0.1` in one place and `0.10000000149011612` in the other, as in Java.
 */
export function avroDefault(
  schema: ConnectSchema,
  value: ConnectValue | undefined,
  forField = false,
): JsonNode {
  if (value === null || value === undefined) return null
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'boolean':
    case 'string':
      return value as JsonNode
    case 'float32':
      return new JsonNumberText(
        forField ? javaDoubleText(Math.fround(value as number)) : javaFloatText(value as number),
      )
    case 'float64':
      return new JsonNumberText(javaDoubleText(value as number))
    case 'bytes':
      return latin1(bytesOf(schema, value))
    case 'array':
      return (value as readonly ConnectValue[]).map((item) =>
        avroDefault(schema.items, item, forField),
      )
    case 'map': {
      const entries = [...(value as ReadonlyMap<string, ConnectValue>)]
      if (hasStringKeys(schema)) {
        return Object.fromEntries(
          entries.map(([k, v]) => [k, avroDefault(schema.values, v, forField)]),
        )
      }
      return entries.map(([k, v]) => [
        avroDefault(schema.keys, k, forField),
        avroDefault(schema.values, v, forField),
      ])
    }
    case 'struct': {
      const struct: { readonly [f: string]: ConnectValue } = isStructValue(value) ? value : {}
      // Struct.get falls back to a field's own default when the struct holds null.
      return new JsonEntries(
        schema.fields.map((field) => [
          field.name,
          avroDefault(field.schema, struct[field.name] ?? field.schema.default, forField),
        ]),
      )
    }
  }
}

/** Avro maps need string keys that cannot be null; anything else becomes an entry array. */
export function hasStringKeys(schema: ConnectSchema & { type: 'map' }): boolean {
  return schema.keys.type === 'string' && !schema.keys.optional
}

function bytesOf(schema: ConnectSchema, value: ConnectValue): Uint8Array {
  if (value instanceof Decimal && schema.name === semanticNames.connectDecimal) {
    const scale = Number(schema.parameters?.[decimalScaleParameter] ?? value.scale)
    return unscaledToBytes(value.rescale(scale).unscaled)
  }
  return value as Uint8Array
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1')
}
