import type { ConnectValue } from './connect-schema.ts'
import { Decimal } from './connect-schema.ts'

/**
 * Structural equality of Connect values as Connect's `Struct.equals` sees it: decimals
 * compare with their scale (like `BigDecimal.equals`), bytes by content, maps by entries.
 * Used to tell whether an update changed the record key.
 */
export function connectValuesEqual(
  a: ConnectValue | undefined,
  b: ConnectValue | undefined,
): boolean {
  if (a === b) return true
  if (a === undefined || b === undefined || a === null || b === null) {
    return (a ?? null) === (b ?? null)
  }
  if (typeof a !== 'object' || typeof b !== 'object') {
    // Connect compares doubles with equals(), under which NaN equals NaN.
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)
  }
  if (a instanceof Decimal || b instanceof Decimal) {
    return (
      a instanceof Decimal &&
      b instanceof Decimal &&
      a.unscaled === b.unscaled &&
      a.scale === b.scale
    )
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a).equals(b)
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    const right = b as readonly ConnectValue[]
    return (a as readonly ConnectValue[]).every((item, index) =>
      connectValuesEqual(item, right[index]),
    )
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) return false
    const right = b as ReadonlyMap<string, ConnectValue>
    return [...(a as ReadonlyMap<string, ConnectValue>)].every(
      ([key, item]) => right.has(key) && connectValuesEqual(item, right.get(key)),
    )
  }
  const left = a as { readonly [field: string]: ConnectValue }
  const right = b as { readonly [field: string]: ConnectValue }
  const keys = new Set([...Object.keys(left), ...Object.keys(right)])
  return [...keys].every((key) => connectValuesEqual(left[key], right[key]))
}
