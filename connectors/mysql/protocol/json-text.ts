import { CdcError } from '../../../common/errors.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import type { JsonNode, JsonObject } from './json-binary.ts'
import { formatDate, formatDateTime, formatTime } from './temporal.ts'

/**
 * Compact JSON text of a decoded MySQL JSON value, the shape Debezium emits (no spaces,
 * members in stored order). Integers print exactly; doubles print the shortest round-trip
 * form with `.0` added to whole numbers so they stay doubles; temporals print as MySQL does
 * inside JSON (always 6 fraction digits); other opaques as MySQL's `base64:typeN:...`.
 */
export function jsonToText(node: JsonNode): string {
  if (node === null) return 'null'
  if (typeof node === 'boolean') return node ? 'true' : 'false'
  if (typeof node === 'bigint') return node.toString()
  if (typeof node === 'number') return formatDouble(node)
  if (typeof node === 'string') return JSON.stringify(node)
  if (node instanceof Decimal) return node.toString()
  if (isObject(node)) {
    const members = [...node].map(([key, value]) => `${JSON.stringify(key)}:${jsonToText(value)}`)
    return `{${members.join(',')}}`
  }
  if (isArray(node)) return `[${node.map((item) => jsonToText(item)).join(',')}]`
  if ('kind' in node) {
    switch (node.kind) {
      case 'date':
        return JSON.stringify(formatDate(node))
      case 'datetime':
        return JSON.stringify(formatDateTime(node, 6))
      case 'time':
        return JSON.stringify(formatTime(node, 6))
      case 'opaque':
        return JSON.stringify(`base64:type${node.type}:${node.bytes.toString('base64')}`)
    }
  }
  throw new CdcError('CDC_DECODE_INVALID', 'a JSON node of an unknown shape cannot be printed')
}

function formatDouble(value: number): string {
  if (!Number.isFinite(value)) {
    throw new CdcError('CDC_DECODE_INVALID', `the JSON double ${value} has no JSON text`)
  }
  const text = String(value)
  return /^-?\d+$/.test(text) ? `${text}.0` : text
}

function isArray(node: JsonNode): node is readonly JsonNode[] {
  return Array.isArray(node)
}

function isObject(node: JsonNode): node is JsonObject {
  return node instanceof Map
}
