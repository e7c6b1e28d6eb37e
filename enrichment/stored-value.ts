import { CdcError } from '../common/errors.ts'
import type { ConnectValue } from '../envelope/connect-schema.ts'
import { Decimal } from '../envelope/connect-schema.ts'

/**
 * Connect values as JSON text for the LMDB store, read back exactly: bigint, Decimal, bytes,
 * maps and struct field order all survive (a restarted stage must emit byte-identical rows).
 * Arrays are reserved for tags: ["i", "12"] bigint, ["d", unscaled, scale], ["b", base64],
 * ["f", text] for numbers JSON cannot hold, ["a", items], ["m", [k, v, ...]],
 * ["s", [field, value, ...]]. Plain JSON numbers, strings, booleans and null stand for
 * themselves.
 */

export type Stored = null | boolean | number | string | readonly Stored[]

export function storedText(value: ConnectValue): string {
  return JSON.stringify(toStored(value))
}

export function fromStoredText(text: string): ConnectValue {
  return fromStored(JSON.parse(text) as Stored)
}

/** The JSON tree of a value, for embedding in a larger stored document. */
export function toStored(value: ConnectValue | undefined): Stored {
  if (value === null || value === undefined) return null
  if (typeof value === 'boolean' || typeof value === 'string') return value
  if (typeof value === 'number') {
    return Number.isFinite(value) && !Object.is(value, -0)
      ? value
      : ['f', Object.is(value, -0) ? '-0' : String(value)]
  }
  if (typeof value === 'bigint') return ['i', value.toString()]
  if (value instanceof Decimal) return ['d', value.unscaled.toString(), value.scale]
  if (value instanceof Uint8Array) return ['b', Buffer.from(value).toString('base64')]
  if (Array.isArray(value)) return ['a', (value as readonly ConnectValue[]).map(toStored)]
  if (value instanceof Map) {
    return [
      'm',
      [...(value as ReadonlyMap<string, ConnectValue>)].flatMap(([k, v]) => [
        toStored(k),
        toStored(v),
      ]),
    ]
  }
  const struct = value as { readonly [field: string]: ConnectValue }
  return ['s', Object.entries(struct).flatMap(([k, v]) => [k, toStored(v)])]
}

export function fromStored(node: Stored): ConnectValue {
  if (node === null || typeof node !== 'object') return node
  const [tag, body, extra] = node
  if (typeof tag !== 'string') throw corrupt('an array without its tag')
  switch (tag) {
    case 'i':
      return BigInt(String(body))
    case 'f':
      return body === '-0' ? -0 : Number(body)
    case 'd':
      return new Decimal(BigInt(String(body)), Number(extra))
    case 'b':
      return new Uint8Array(Buffer.from(String(body), 'base64'))
    case 'a':
      return list(body).map(fromStored)
    case 'm':
      return new Map(pairs(body).map(([k, v]) => [fromStored(k) as string, fromStored(v)]))
    case 's': {
      const struct: Record<string, ConnectValue> = {}
      for (const [k, v] of pairs(body)) struct[String(k)] = fromStored(v)
      return struct
    }
    default:
      throw corrupt(`unknown tag ${JSON.stringify(tag)}`)
  }
}

function list(body: Stored | undefined): readonly Stored[] {
  if (!Array.isArray(body)) throw corrupt('a tagged value without its list')
  return body as readonly Stored[]
}

function pairs(body: Stored | undefined): [Stored, Stored][] {
  const items = list(body)
  const out: [Stored, Stored][] = []
  for (let index = 0; index + 1 < items.length; index += 2)
    out.push([items[index] ?? null, items[index + 1] ?? null])
  return out
}

function corrupt(reason: string): CdcError {
  return new CdcError(
    'CDC_ENRICH_STORE_FAILED',
    `the join's state store holds a value it cannot read (${reason}); delete state.dir to rebuild it from the table topic`,
  )
}
