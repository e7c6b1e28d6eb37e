/**
 * JSON parsed without losing numbers: every number keeps its source text, so int64 values
 * and decimals written by Connect's JsonConverter come back exact (a plain JSON.parse
 * rounds anything past 2^53).
 */
export class ExactNumber {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }

  get isInteger(): boolean {
    return /^-?\d+$/.test(this.text)
  }
}

export type ExactJson =
  | null
  | boolean
  | string
  | ExactNumber
  | readonly ExactJson[]
  | { readonly [key: string]: ExactJson }

type Reviver = (key: string, value: unknown, context?: { source?: string }) => unknown

// Node 22+ passes each primitive's source text to the reviver (TC39 "JSON.parse source text
// access"), which is what keeps the digits.
const keepNumbers: Reviver = (_key, value, context) =>
  typeof value === 'number' ? new ExactNumber(context?.source ?? String(value)) : value

/** Parses JSON text; throws SyntaxError like JSON.parse. */
export function parseExactJson(text: string): ExactJson {
  const parsed: unknown = JSON.parse(text, keepNumbers)
  return parsed as ExactJson
}

export function isJsonObject(
  node: ExactJson | undefined,
): node is { readonly [key: string]: ExactJson } {
  return (
    typeof node === 'object' &&
    node !== null &&
    !Array.isArray(node) &&
    !(node instanceof ExactNumber)
  )
}
