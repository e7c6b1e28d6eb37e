import { CdcError } from '../../common/errors.ts'
import type { CatalogTable } from './catalog.ts'
import { qualifiedName, quoteIdent } from './connection.ts'
import type { Queryable } from './queryable.ts'

/** wal_level must be logical for any logical slot. */
export async function checkWalLevel(admin: Queryable): Promise<void> {
  const { rows } = await admin.query<{ wal_level: string }>('show wal_level')
  const level = rows[0]?.wal_level
  if (level !== 'logical') {
    throw new CdcError(
      'CDC_PG_WAL_LEVEL',
      `the server runs with wal_level=${level ?? 'unknown'}; logical decoding needs wal_level=logical: set it in postgresql.conf (or ALTER SYSTEM SET wal_level = logical) and restart PostgreSQL`,
    )
  }
}

/** REPLICATION (or superuser) to create and stream from the slot. */
export async function checkReplicationPrivilege(admin: Queryable): Promise<void> {
  const { rows } = await admin.query<{ role: string; allowed: string }>(
    'select current_user as role, (rolreplication or rolsuper)::text as allowed from pg_roles where rolname = current_user',
  )
  const row = rows[0]
  if (row?.allowed !== 'true') {
    const role = row?.role ?? 'the connector role'
    throw new CdcError(
      'CDC_PG_PRIVILEGE',
      `role ${role} may not use replication slots: run ALTER ROLE ${quoteIdent(role)} REPLICATION (the role also needs SELECT on the captured tables)`,
    )
  }
}

/** SELECT on every captured table, for the snapshot. */
export async function checkSelectPrivilege(
  admin: Queryable,
  tables: readonly CatalogTable[],
): Promise<void> {
  if (tables.length === 0) return
  const { rows } = await admin.query<{ oid: string; role: string }>(
    `select c.oid, current_user as role from pg_class c where c.oid = any($1::oid[]) and not has_table_privilege(c.oid, 'SELECT')`,
    [tables.map((table) => table.oid)],
  )
  if (rows.length === 0) return
  const denied = tables.filter((table) => rows.some((row) => Number(row.oid) === table.oid))
  const names = denied.map((table) => qualifiedName(table.schema, table.name)).join(', ')
  throw new CdcError(
    'CDC_PG_PRIVILEGE',
    `role ${rows[0]?.role ?? ''} lacks SELECT on ${names}: run GRANT SELECT ON ${names} TO ${quoteIdent(rows[0]?.role ?? '')}, or exclude the tables with table.exclude.list`,
  )
}

/**
 * Updates and deletes of a table without a replica identity fail at the source once it is
 * published, and a table without a primary key under REPLICA IDENTITY DEFAULT has none.
 */
export function checkReplicaIdentity(tables: readonly CatalogTable[]): void {
  const bad = tables.filter(
    (table) =>
      table.replicaIdentity === 'n' ||
      (table.replicaIdentity === 'd' && table.primaryKey.length === 0),
  )
  if (bad.length === 0) return
  const fixes = bad
    .map((table) => `ALTER TABLE ${qualifiedName(table.schema, table.name)} REPLICA IDENTITY FULL`)
    .join('; ')
  const what = bad
    .map(
      (table) =>
        `${table.schema}.${table.name} (${table.replicaIdentity === 'n' ? 'REPLICA IDENTITY NOTHING' : 'no primary key and REPLICA IDENTITY DEFAULT'})`,
    )
    .join(', ')
  throw new CdcError(
    'CDC_PG_REPLICA_IDENTITY',
    `cannot capture updates and deletes of ${what}: run ${fixes}, or add a primary key, or exclude the tables with table.exclude.list`,
    { details: { tables: bad.map((table) => `${table.schema}.${table.name}`) } },
  )
}
