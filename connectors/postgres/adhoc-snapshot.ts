import type pg from 'pg'
import { withPendingSnapshot } from '../adhoc-snapshot-position.ts'
import type { ConnectorContext } from '../plugin.ts'
import type { Position } from '../ports.ts'
import { isCapturedTable } from './captured-table.ts'
import { describeTables, listTables, type TableRef } from './catalog.ts'
import type { PostgresConfig } from './config.ts'
import { decodePosition } from './position.ts'
import { readPublication } from './publication.ts'
import type { Queryable } from './queryable.ts'
import { readSnapshot } from './snapshot-phase.ts'
import type { TypeRegistry } from './type-registry.ts'

/**
 * The tables whose changes the connector captures now: they pass the include/exclude
 * lists and are in the publication, keyed by `schema.table`.
 */
export async function capturedTables(
  client: Queryable,
  config: PostgresConfig,
): Promise<Map<string, TableRef>> {
  const candidates = (await listTables(client)).filter((table) =>
    isCapturedTable(config, table.schema, table.name),
  )
  const publication = await readPublication(client, config.publicationName)
  const published =
    publication === null
      ? []
      : publication.allTables
        ? candidates
        : candidates.filter((table) => publication.tables.has(`${table.schema}.${table.name}`))
  return new Map(published.map((table) => [`${table.schema}.${table.name}`, table]))
}

export interface AdhocSnapshot {
  config: PostgresConfig
  context: ConnectorContext
  /** The task's catalog connection; streaming does not use it meanwhile. */
  admin: pg.Client
  types: TypeRegistry
  /** `schema.table` names, checked when the request was taken. */
  tables: readonly string[]
  /** Where streaming resumes: committed with the tables pending meanwhile, as it is at the end. */
  from: Position
  version: string
  applicationName: string
  signal: AbortSignal
}

/**
 * Debezium's blocking snapshot, on a stopped stream: reads the tables in one fresh
 * REPEATABLE READ transaction with the initial snapshot's reader and markers. The slot
 * stays where streaming stopped, so every change committed since follows as c/u/d.
 * Returns false when stopped before it completed (the tables stay pending).
 */
export async function takeAdhocSnapshot(snapshot: AdhocSnapshot): Promise<boolean> {
  const { config, context, admin, from } = snapshot
  context.monitor.phase('snapshot')
  const captured = await capturedTables(admin, config)
  const gone = snapshot.tables.filter((name) => !captured.has(name))
  if (gone.length > 0) {
    context.logger.warn(
      'tables of the ad-hoc snapshot are no longer captured (dropped, renamed or filtered out); they are left out',
      { tables: gone },
    )
  }
  const refs = snapshot.tables.flatMap((name) => captured.get(name) ?? [])
  const described = await describeTables(
    admin,
    refs.map((table) => table.oid),
  )
  // In the order the request named them.
  const tables = refs.flatMap((ref) => described.filter((table) => table.oid === ref.oid))
  context.logger.info('taking an ad-hoc snapshot', {
    tables: tables.map((table) => `${table.schema}.${table.name}`),
  })
  return readSnapshot({
    config,
    context,
    admin,
    types: snapshot.types,
    tables,
    version: snapshot.version,
    applicationName: snapshot.applicationName,
    signal: snapshot.signal,
    snapshotName: null,
    lsn: decodePosition(from).lsn,
    onImported: () => Promise.resolve(),
    commitPosition: (completed) => (completed ? from : withPendingSnapshot(from, snapshot.tables)),
  })
}
