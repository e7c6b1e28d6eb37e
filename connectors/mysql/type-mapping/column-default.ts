import type { ColumnMapping } from './mapping.ts'

/**
 * Column defaults in the Connect schema, as Debezium's MySQL connector puts them there: a
 * table change that adds `NOT NULL DEFAULT ...` then stays BACKWARD compatible in the
 * registry, because the Avro field carries the default that old records lack.
 */

const numericLiteral = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

/**
 * The literal text of a default as information_schema.COLUMNS.COLUMN_DEFAULT shows it, or
 * undefined when there is none to put in a schema: no default, NULL, or an expression
 * evaluated per row (`current_timestamp()`, `uuid()`). MariaDB quotes string literals and
 * writes NULL as text; MySQL shows strings bare.
 */
export function defaultLiteral(expression: string | null): string | undefined {
  if (expression === null || expression === 'NULL') return undefined
  if (expression.length >= 2 && expression.startsWith("'") && expression.endsWith("'")) {
    return expression.slice(1, -1).replaceAll("''", "'").replaceAll('\\\\', '\\')
  }
  if (numericLiteral.test(expression)) return expression
  // b'0101', x'0A', and function calls are not literals of the column's text form.
  if (/^[bx]'/i.test(expression) || expression.includes('(')) return undefined
  return expression
}

/** The mapping with its schema's default set from the column's literal default, if any. */
export function withColumnDefault(
  mapping: ColumnMapping,
  expression: string | null,
): ColumnMapping {
  const literal = defaultLiteral(expression)
  if (literal === undefined) return mapping
  let value
  try {
    value = mapping.fromText(Buffer.from(literal, 'utf8'))
  } catch {
    // A default the column's own text parser refuses (CURRENT_TIMESTAMP on MySQL, a zero
    // date) is left out of the schema rather than guessed.
    return mapping
  }
  if (value === null) return mapping
  return { ...mapping, schema: { ...mapping.schema, default: value } }
}
