import { CdcError } from '../../../common/errors.ts'

/**
 * Parses PostgreSQL's array output (`{1,2,NULL}`, `{"a b","q\"x"}`, `[0:1]={1,2}`) into
 * element texts, null for NULL. Only one dimension: Debezium has no schema for more.
 */
export function parseArrayText(text: string, delimiter = ','): (string | null)[] {
  let index = 0
  if (text.startsWith('[')) {
    const equals = text.indexOf('=')
    if (equals < 0) throw invalid(text, 'dimension decoration without "="')
    index = equals + 1
  }
  if (text.charAt(index) !== '{' || !text.endsWith('}'))
    throw invalid(text, 'not enclosed in braces')
  index++
  const end = text.length - 1
  const items: (string | null)[] = []
  if (index === end) return items
  while (index <= end) {
    const char = text.charAt(index)
    if (char === '{') throw invalid(text, 'multi-dimensional arrays are not supported')
    let item: string | null
    if (char === '"') {
      let value = ''
      index++
      for (;;) {
        if (index >= end) throw invalid(text, 'unterminated quoted element')
        const next = text.charAt(index)
        if (next === '\\') {
          value += text.charAt(index + 1)
          index += 2
        } else if (next === '"') {
          index++
          break
        } else {
          value += next
          index++
        }
      }
      item = value
    } else {
      let stop = index
      while (stop < end && text.charAt(stop) !== delimiter) stop++
      const raw = text.slice(index, stop).trim()
      item = raw.toUpperCase() === 'NULL' ? null : raw
      index = stop
    }
    items.push(item)
    if (index === end) break
    if (text.charAt(index) !== delimiter)
      throw invalid(text, `expected ${JSON.stringify(delimiter)} at ${index}`)
    index++
  }
  return items
}

function invalid(text: string, why: string): CdcError {
  return new CdcError(
    'CDC_ENVELOPE_INVALID_VALUE',
    `cannot read PostgreSQL array ${JSON.stringify(text.slice(0, 200))}: ${why}`,
  )
}
