import { CdcError } from '../common/errors.ts'

/** How many captured tables an error message lists before it says how many more there are. */
const listedTables = 50

/**
 * Checks the tables of an ad-hoc snapshot request against the tables the connector
 * captures. Names are exact (`schema.table` or `database.table`, as the catalog spells
 * them), not patterns. Returns them once each, in request order; throws
 * CDC_API_BAD_REQUEST naming every table that is not captured, and what is.
 */
export function checkRequestedTables(
  connector: string,
  requested: readonly string[],
  captured: readonly string[],
  form: string,
): string[] {
  const known = new Set(captured)
  const tables = [...new Set(requested)]
  const unknown = tables.filter((table) => !known.has(table))
  if (tables.length > 0 && unknown.length === 0) return tables
  const sorted = [...known].sort()
  const shown = sorted.slice(0, listedTables).join(', ')
  const more = sorted.length > listedTables ? ` and ${sorted.length - listedTables} more` : ''
  const capturedText =
    sorted.length === 0 ? 'it captures no table at all' : `it captures ${shown}${more}`
  const what =
    tables.length === 0
      ? 'the request names no table'
      : `${unknown.map((table) => JSON.stringify(table)).join(', ')} ${unknown.length === 1 ? 'is not a table' : 'are not tables'} connector ${connector} captures`
  throw new CdcError(
    'CDC_API_BAD_REQUEST',
    `${what}; name captured tables as ${form}, exactly as the catalog spells them (the include/exclude lists, and for PostgreSQL the publication, decide what is captured): ${capturedText}`,
    { details: { unknown, captured: sorted } },
  )
}
