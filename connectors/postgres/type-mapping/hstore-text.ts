import { CdcError } from '../../../common/errors.ts'
import { quoteJson } from '../../../envelope/java-json.ts'

/** Parses hstore output (`"a"=>"1", "b"=>NULL`) into pairs in text order. */
export function parseHstoreText(text: string): [string, string | null][] {
  const pairs: [string, string | null][] = []
  let index = 0
  const skipSpace = (): void => {
    while (index < text.length && /\s/.test(text.charAt(index))) index++
  }
  const quoted = (): string => {
    if (text.charAt(index) !== '"') throw invalid(text, index)
    index++
    let value = ''
    while (index < text.length && text.charAt(index) !== '"') {
      if (text.charAt(index) === '\\') index++
      value += text.charAt(index)
      index++
    }
    if (index >= text.length) throw invalid(text, index)
    index++
    return value
  }
  skipSpace()
  while (index < text.length) {
    const key = quoted()
    skipSpace()
    if (text.slice(index, index + 2) !== '=>') throw invalid(text, index)
    index += 2
    skipSpace()
    let value: string | null
    if (text.slice(index, index + 4) === 'NULL') {
      value = null
      index += 4
    } else value = quoted()
    pairs.push([key, value])
    skipSpace()
    if (index < text.length) {
      if (text.charAt(index) !== ',') throw invalid(text, index)
      index++
      skipSpace()
    }
  }
  return pairs
}

function invalid(text: string, at: number): CdcError {
  return new CdcError(
    'CDC_ENVELOPE_INVALID_VALUE',
    `cannot read hstore value at ${at}: ${JSON.stringify(text.slice(0, 200))}`,
  )
}

/** Java's String.hashCode over UTF-16 code units. */
function javaHash(text: string): number {
  let hash = 0
  for (let index = 0; index < text.length; index++)
    hash = (Math.imul(hash, 31) + text.charCodeAt(index)) | 0
  return hash
}

/**
 * The iteration order of a java.util.HashMap holding these keys, inserted in this order:
 * Debezium reads hstore into a HashMap (pgjdbc's HStoreConverter) and writes the JSON in its
 * iteration order, so the same order gives the same text.
 */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  let capacity = 16
  while (keys.length > capacity * 0.75) capacity *= 2
  const buckets = new Map<number, string[]>()
  for (const key of keys) {
    const hash = javaHash(key)
    const bucket = (hash ^ (hash >>> 16)) & (capacity - 1)
    const list = buckets.get(bucket) ?? []
    if (!list.includes(key)) list.push(key)
    buckets.set(bucket, list)
  }
  return [...buckets.entries()].sort(([a], [b]) => a - b).flatMap(([, list]) => list)
}

/** hstore as Debezium's json mode writes it: a JSON object in HashMap order. */
export function hstoreToJson(text: string): string {
  const pairs = new Map(parseHstoreText(text))
  const fields = javaHashMapOrder([...pairs.keys()]).map(
    (key) =>
      `${quoteJson(key)}:${(pairs.get(key) ?? null) === null ? 'null' : quoteJson(pairs.get(key) ?? '')}`,
  )
  return `{${fields.join(',')}}`
}
