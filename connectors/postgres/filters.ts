/**
 * Debezium's name filters: comma-separated regular expressions, each matched against the
 * whole fully-qualified name (`schema`, `schema.table`, `schema.table.column`), ignoring
 * case, as Debezium's `Predicates.includes` does.
 */
export interface NameFilter {
  include: readonly RegExp[] | null
  exclude: readonly RegExp[] | null
}

/**
 * Splits a list on commas that are not inside `{}`, `[]` or `()` and not escaped as `\,`,
 * so that `a{1,3}` stays one expression.
 */
export function splitRegexList(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index)
    if (char === '\\' && text.charAt(index + 1) === ',') {
      current += ','
      index++
      continue
    }
    if (char === '\\') {
      current += char + text.charAt(index + 1)
      index++
      continue
    }
    if (char === '{' || char === '[' || char === '(') depth++
    if ((char === '}' || char === ']' || char === ')') && depth > 0) depth--
    if (char === ',' && depth === 0) {
      parts.push(current.trim())
      current = ''
      continue
    }
    current += char
  }
  parts.push(current.trim())
  return parts.filter((part) => part !== '')
}

/** Compiles a list into anchored, case-insensitive expressions; throws SyntaxError on a bad one. */
export function compileRegexList(text: string): RegExp[] {
  return splitRegexList(text).map((source) => new RegExp(`^(?:${source})$`, 'i'))
}

export function matchesAny(patterns: readonly RegExp[], name: string): boolean {
  return patterns.some((pattern) => pattern.test(name))
}

/** True when `name` passes the filter (no include list means everything is included). */
export function passes(filter: NameFilter, name: string): boolean {
  if (filter.include !== null) return matchesAny(filter.include, name)
  if (filter.exclude !== null) return !matchesAny(filter.exclude, name)
  return true
}

export const noFilter: NameFilter = { include: null, exclude: null }

/** One `message.key.columns` entry: tables matching `table` are keyed by `columns`. */
export interface KeyColumnsRule {
  table: RegExp
  columns: readonly string[]
}

/**
 * Parses `message.key.columns`: `<table regex>:<col>,<col>;<table regex>:<col>`. Throws an
 * Error naming the malformed entry.
 */
export function parseKeyColumns(text: string): KeyColumnsRule[] {
  return text
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const colon = entry.lastIndexOf(':')
      const table = colon < 0 ? '' : entry.slice(0, colon).trim()
      const columns = (colon < 0 ? '' : entry.slice(colon + 1))
        .split(',')
        .map((column) => column.trim())
        .filter((column) => column !== '')
      if (table === '' || columns.length === 0) {
        throw new Error(`entry ${JSON.stringify(entry)} is not <schema.table regex>:<column>,...`)
      }
      return { table: new RegExp(`^(?:${table})$`, 'i'), columns }
    })
}
