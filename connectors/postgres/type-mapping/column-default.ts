import type { ValueMapping } from './value-mapping.ts'

/**
 * Column defaults in the Connect schema, as Debezium's Postgres connector puts them there: a
 * table change that adds `NOT NULL DEFAULT ...` then stays BACKWARD compatible in the
 * registry, because the Avro field carries the default that old records lack.
 */

const quotedLiteral = /^'((?:[^']|'')*)'(?:::[\w\s."[\]()]+)*$/
const numericLiteral = /^\(?(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\)?(?:::[\w\s."[\]()]+)*$/

/**
 * The literal a default expression (`pg_get_expr(adbin, adrelid)`) stands for, in the
 * server's text output form, or undefined when it is not a constant: `now()`, `nextval(...)`,
 * CURRENT_TIMESTAMP and NULL are evaluated per row or give nothing to put in a schema.
 */
export function defaultLiteral(expression: string | null): string | undefined {
  if (expression === null) return undefined
  const quoted = quotedLiteral.exec(expression)
  if (quoted?.[1] !== undefined) return quoted[1].replaceAll("''", "'")
  const numeric = numericLiteral.exec(expression)
  if (numeric?.[1] !== undefined) return numeric[1]
  if (expression === 'true') return 't'
  if (expression === 'false') return 'f'
  return undefined
}

/** The mapping with its schema's default set from the column's constant default, if any. */
export function withColumnDefault(mapping: ValueMapping, expression: string | null): ValueMapping {
  const literal = defaultLiteral(expression)
  if (literal === undefined) return mapping
  let value
  try {
    value = mapping.convert(literal)
  } catch {
    // A constant written in a form the type's text parser does not take (an input syntax
    // rather than the output one) is left out rather than guessed.
    return mapping
  }
  if (value === null) return mapping
  return { ...mapping, schema: { ...mapping.schema, default: value } }
}
