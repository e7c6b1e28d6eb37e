/**
 * Debezium's name filters: comma-separated regular expressions, each matched against the
 * whole name (`database`, `database.table`, `database.table.column`), ignoring case.
 */
export interface NameFilter {
  include: readonly RegExp[] | null
  exclude: readonly RegExp[] | null
}

export const noFilter: NameFilter = { include: null, exclude: null }

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
    if (char === '\\') {
      const next = text.charAt(index + 1)
      current += next === ',' ? ',' : char + next
      index++
      continue
    }
    if ('{[('.includes(char)) depth++
    if ('}])'.includes(char) && depth > 0) depth--
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

/** Anchored, case-insensitive expressions; throws SyntaxError on a bad one. */
export function compileRegexList(text: string): RegExp[] {
  return splitRegexList(text).map((source) => new RegExp(`^(?:${source})$`, 'i'))
}

/** True when `name` passes the filter (no include list means everything is included). */
export function passes(filter: NameFilter, name: string): boolean {
  if (filter.include !== null) return filter.include.some((pattern) => pattern.test(name))
  if (filter.exclude !== null) return !filter.exclude.some((pattern) => pattern.test(name))
  return true
}

/** The server's own databases, never captured (Debezium's table.ignore.builtin). */
export const systemDatabases: ReadonlySet<string> = new Set([
  'mysql',
  'information_schema',
  'performance_schema',
  'sys',
])

export interface TableFilters {
  databases: NameFilter
  tables: NameFilter
  columns: NameFilter
}

export function isCapturedDatabase(filters: TableFilters, database: string): boolean {
  return !systemDatabases.has(database.toLowerCase()) && passes(filters.databases, database)
}

export function isCapturedTable(filters: TableFilters, database: string, table: string): boolean {
  return isCapturedDatabase(filters, database) && passes(filters.tables, `${database}.${table}`)
}

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
        throw new Error(`entry ${JSON.stringify(entry)} is not <database.table regex>:<column>,...`)
      }
      return { table: new RegExp(`^(?:${table})$`, 'i'), columns }
    })
}
