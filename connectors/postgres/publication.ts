import { CdcError } from '../../common/errors.ts'
import type { TableRef } from './catalog.ts'
import type { AutocreateMode } from './config.ts'
import { qualifiedName, quoteIdent, quoteLiteral } from './connection.ts'
import { classifyPgError } from './pg-errors.ts'
import type { Queryable } from './queryable.ts'

/** Marks publications this connector created, so that cleanup drops only those. */
export function publicationMarker(connector: string): string {
  return `created by CDC connector ${connector}`
}

export interface PublicationState {
  allTables: boolean
  /** Published tables as `schema.table` (empty for FOR ALL TABLES). */
  tables: ReadonlySet<string>
}

export async function readPublication(
  admin: Queryable,
  name: string,
): Promise<PublicationState | null> {
  const { rows } = await admin.query<{ puballtables: string }>(
    'select puballtables from pg_publication where pubname = $1',
    [name],
  )
  const row = rows[0]
  if (row === undefined) return null
  const tables = await admin.query<{ schemaname: string; tablename: string }>(
    'select schemaname, tablename from pg_publication_tables where pubname = $1',
    [name],
  )
  return {
    allTables: row.puballtables === 't',
    tables: new Set(tables.rows.map((table) => `${table.schemaname}.${table.tablename}`)),
  }
}

async function run(admin: Queryable, sql: string, doing: string): Promise<void> {
  try {
    await admin.query(sql)
  } catch (error) {
    const classified = classifyPgError(error, doing)
    if (classified.code === 'CDC_PG_PRIVILEGE' || classified.code === 'CDC_PG_QUERY_FAILED') {
      throw new CdcError(
        classified.code,
        `${classified.message}. Creating a FOR ALL TABLES publication needs a superuser, FOR TABLE needs ownership of each table; or have a DBA create the publication and set publication.autocreate.mode=disabled`,
        { cause: error },
      )
    }
    throw classified
  }
}

/**
 * Makes the publication match `publication.autocreate.mode`, before the slot is created
 * (a slot only decodes changes of tables published when they are decoded). For `filtered`
 * the publication's table list is set to exactly `tables`, at start and whenever new
 * captured tables appear.
 */
export async function ensurePublication(
  admin: Queryable,
  name: string,
  mode: AutocreateMode,
  tables: readonly TableRef[],
  connector: string,
): Promise<PublicationState> {
  const existing = await readPublication(admin, name)
  const list = tables.map((table) => qualifiedName(table.schema, table.name)).join(', ')
  if (existing === null) {
    if (mode === 'disabled') {
      throw new CdcError(
        'CDC_PG_PUBLICATION',
        `publication ${name} does not exist and publication.autocreate.mode=disabled: create it (CREATE PUBLICATION ${quoteIdent(name)} FOR TABLE ...) or set publication.autocreate.mode to all_tables or filtered`,
      )
    }
    const target =
      mode === 'all_tables'
        ? ' FOR ALL TABLES'
        : mode === 'filtered' && list !== ''
          ? ` FOR TABLE ${list}`
          : ''
    await run(
      admin,
      `CREATE PUBLICATION ${quoteIdent(name)}${target}`,
      `creating publication ${name}`,
    )
    await run(
      admin,
      `COMMENT ON PUBLICATION ${quoteIdent(name)} IS ${quoteLiteral(publicationMarker(connector))}`,
      `marking publication ${name}`,
    )
    return (
      (await readPublication(admin, name)) ?? {
        allTables: mode === 'all_tables',
        tables: new Set(),
      }
    )
  }
  if (mode !== 'filtered' || existing.allTables) return existing
  const wanted = new Set(tables.map((table) => `${table.schema}.${table.name}`))
  const missing = tables.filter((table) => !existing.tables.has(`${table.schema}.${table.name}`))
  const extra = [...existing.tables].filter((table) => !wanted.has(table))
  if (missing.length === 0 && extra.length === 0) return existing
  if (list !== '') {
    await run(
      admin,
      `ALTER PUBLICATION ${quoteIdent(name)} SET TABLE ${list}`,
      `updating publication ${name}`,
    )
  } else {
    for (const table of extra) {
      const [schema = '', relation = ''] = table.split('.')
      await run(
        admin,
        `ALTER PUBLICATION ${quoteIdent(name)} DROP TABLE ${qualifiedName(schema, relation)}`,
        `updating publication ${name}`,
      )
    }
  }
  return (await readPublication(admin, name)) ?? existing
}

/** Drops the publication if this connector created it. */
export async function dropOwnPublication(
  admin: Queryable,
  name: string,
  connector: string,
): Promise<boolean> {
  const { rows } = await admin.query<{ comment: string | null }>(
    `select obj_description(oid, 'pg_publication') as comment from pg_publication where pubname = $1`,
    [name],
  )
  if (rows[0]?.comment !== publicationMarker(connector)) return false
  await run(admin, `DROP PUBLICATION IF EXISTS ${quoteIdent(name)}`, `dropping publication ${name}`)
  return true
}
