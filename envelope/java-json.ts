/**
 * JSON text exactly as Jackson writes it from Java values, because both Connect's
 * JsonConverter and Avro's `Schema.toString()` (whose text the registry stores) go through
 * Jackson: doubles and floats as Java's `toString` prints them (`1.0`, `1.0E10`), int64
 * exact, non-finite numbers as strings, control characters escaped in upper-case hex.
 */

/** A number already rendered as Java would print it (a `float`, `double` or `BigDecimal`). */
export class JsonNumberText {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
}

/**
 * A JSON object whose members keep the given order even for integer-like keys, which plain
 * JS objects would move to the front (a column named `2` must stay where the table has it).
 */
export class JsonEntries {
  readonly entries: readonly (readonly [string, JsonNode])[]
  constructor(entries: readonly (readonly [string, JsonNode])[]) {
    this.entries = entries
  }
}

export type JsonNode =
  | null
  | boolean
  | number
  | bigint
  | string
  | JsonNumberText
  | JsonEntries
  | readonly JsonNode[]
  | { readonly [key: string]: JsonNode | undefined }

/** Compact JSON text; `undefined` object members are left out, as Jackson leaves out unset ones. */
export function stringifyJson(node: JsonNode): string {
  const parts: string[] = []
  write(node, parts)
  return parts.join('')
}

function write(node: JsonNode, out: string[]): void {
  if (node === null) out.push('null')
  else if (typeof node === 'string') out.push(quoteJson(node))
  else if (typeof node === 'boolean' || typeof node === 'bigint') out.push(String(node))
  else if (typeof node === 'number') out.push(integerText(node))
  else if (node instanceof JsonNumberText) out.push(node.text)
  else if (node instanceof JsonEntries) writeMembers(node.entries, out)
  else if (isArray(node)) {
    out.push('[')
    node.forEach((item, index) => {
      if (index > 0) out.push(',')
      write(item, out)
    })
    out.push(']')
  } else {
    writeMembers(Object.entries(node), out)
  }
}

function writeMembers(
  entries: readonly (readonly [string, JsonNode | undefined])[],
  out: string[],
) {
  out.push('{')
  let first = true
  for (const [key, value] of entries) {
    if (value === undefined) continue
    if (!first) out.push(',')
    first = false
    out.push(quoteJson(key), ':')
    write(value, out)
  }
  out.push('}')
}

function isArray(node: JsonNode): node is readonly JsonNode[] {
  return Array.isArray(node)
}

function integerText(value: number): string {
  // Plain JS numbers in a tree stand for Java ints; fractions must come as JsonNumberText.
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an exact integer: ${value}`)
  return Object.is(value, -0) ? '0' : String(value)
}

const shortEscapes: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
const needsEscape = /["\\\u0000-\u001f]/g

/** A JSON string literal with Jackson's escapes (`\u001F`, not `\u001f`). */
export function quoteJson(text: string): string {
  const escaped = text.replace(
    needsEscape,
    (char) =>
      shortEscapes[char] ?? `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  )
  return `"${escaped}"`
}

/** `Double.toString(value)`; NaN and infinities come back quoted, as Jackson writes them. */
export function javaDoubleText(value: number): string {
  if (!Number.isFinite(value)) return quoteJson(nonFiniteText(value))
  // toExponential() without digits is already the shortest text that reads back.
  return javaDecimalText(value, value.toExponential(), (candidate) => Number(candidate) === value)
}

/** `Float.toString(value)`: the digits chosen for the 32-bit float, not for the double. */
export function javaFloatText(value: number): string {
  if (!Number.isFinite(value)) return quoteJson(nonFiniteText(value))
  const single = Math.fround(value)
  const readsBack = (candidate: string) => Math.fround(Number(candidate)) === single
  let shortest = single.toExponential()
  for (let digits = 0; digits < 9; digits++) {
    const candidate = single.toExponential(digits)
    if (readsBack(candidate)) {
      shortest = candidate
      break
    }
  }
  return javaDecimalText(single, shortest, readsBack)
}

function nonFiniteText(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  return value > 0 ? 'Infinity' : '-Infinity'
}

/**
 * Java (since JDK 19) prints the shortest decimal that reads back as the same value, except
 * that when one digit would do it takes the closest of one or two digits (`4.9E-324`, not
 * `5E-324`); plain notation for 10^-3 <= |x| < 10^7, always with a fraction digit, and
 * computerized scientific notation (`1.0E-5`, `1.234E10`) outside that range.
 */
function javaDecimalText(
  value: number,
  shortest: string,
  readsBack: (candidate: string) => boolean,
): string {
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  let text = shortest
  if (/^-?\de/.test(text) && readsBack(value.toExponential(1))) text = value.toExponential(1)
  const [mantissa = '', exponentText = ''] = text.split('e')
  const negative = mantissa.startsWith('-')
  const digits = mantissa.replace(/[-.]/g, '').replace(/(?<=.)0+$/, '')
  const exponent = Number(exponentText)
  const sign = negative ? '-' : ''
  const magnitude = Math.abs(value)
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
    return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`
  }
  return `${sign}${digits.slice(0, 1)}.${digits.slice(1) || '0'}E${exponent}`
}

/** `BigDecimal.toString()`: plain unless the exponent is small enough for `1E-7` form. */
export function javaBigDecimalText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n
  const digits = (negative ? -unscaled : unscaled).toString()
  const sign = negative ? '-' : ''
  const adjusted = digits.length - 1 - scale
  if (scale === 0) return `${sign}${digits}`
  if (scale > 0 && adjusted >= -6) {
    const padded = digits.padStart(scale + 1, '0')
    const point = padded.length - scale
    return `${sign}${padded.slice(0, point)}.${padded.slice(point)}`
  }
  const mantissa = digits.length > 1 ? `${digits.slice(0, 1)}.${digits.slice(1)}` : digits
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`
}
