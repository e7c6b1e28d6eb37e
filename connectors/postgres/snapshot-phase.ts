import type pg from 'pg'
import type { ConnectorContext } from '../plugin.ts'
import { captureTable } from './captured-table.ts'
import type { CatalogTable } from './catalog.ts'
import type { PostgresConfig } from './config.ts'
import { connectClient } from './connection.ts'
import { parseLsn, type Lsn } from './lsn.ts'
import { runSnapshot, type SnapshotRun } from './snapshot.ts'
import { createSlot, dropSlot, type CreatedSlot } from './slot.ts'
import type { SlotState } from './start-plan.ts'
import type { TypeRegistry } from './type-registry.ts'

export interface SnapshotPhase {
  config: PostgresConfig
  context: ConnectorContext
  admin: pg.Client
  types: TypeRegistry
  tables: readonly CatalogTable[]
  slot: SlotState | null
  /** False for initial_only: no slot, since nothing will stream from it. */
  withSlot: boolean
  serverVersion: number
  version: string
  applicationName: string
  signal: AbortSignal
}

/**
 * Takes a snapshot that streaming can continue from exactly: a new slot exports the
 * snapshot its consistent point stands for. An existing slot is dropped first, because a
 * slot cannot export a snapshot later and reading under any other snapshot would overlap
 * or miss the slot's changes; the stored position never claims an interrupted snapshot,
 * so dropping loses nothing a restart would need. Returns the LSN to stream from, or null
 * when stopped before the snapshot completed.
 */
export async function takeSnapshot(phase: SnapshotPhase): Promise<Lsn | null> {
  const { config, admin } = phase
  const connection = config.connection
  let created: CreatedSlot | null = null
  let lsn: Lsn
  if (phase.withSlot) {
    if (phase.slot !== null) await dropSlot(admin, config.slotName, connection.database)
    created = await createSlot(
      connection,
      config.slotName,
      true,
      phase.serverVersion,
      phase.applicationName,
    )
    lsn = created.consistentPoint
  } else {
    const { rows } = await admin.query<{ lsn: string }>('select pg_current_wal_lsn() as lsn')
    lsn = parseLsn(rows[0]?.lsn ?? '0/0')
  }
  const slotClient = created?.client ?? null
  const closeSlotClient = async () => {
    await slotClient?.end().catch(() => undefined)
  }
  try {
    const completed = await readSnapshot({
      ...phase,
      snapshotName: created?.snapshotName ?? null,
      lsn,
      onImported: closeSlotClient,
    })
    return completed ? lsn : null
  } finally {
    await closeSlotClient()
  }
}

export interface SnapshotRead {
  config: PostgresConfig
  context: ConnectorContext
  admin: pg.Client
  types: TypeRegistry
  tables: readonly CatalogTable[]
  version: string
  applicationName: string
  signal: AbortSignal
  /** A slot's exported snapshot to import; null reads a fresh REPEATABLE READ snapshot. */
  snapshotName: string | null
  /** The LSN the snapshot stands for, in `source.lsn` and (by default) in positions. */
  lsn: Lsn
  onImported: () => Promise<void>
  /** The position each commit stores (see SnapshotRun); by default `lsn`'s. */
  commitPosition?: SnapshotRun['commitPosition']
}

/**
 * Reads `tables` on a connection of its own inside one REPEATABLE READ transaction and
 * emits them as `r` events. Returns false when stopped before the snapshot completed.
 */
export async function readSnapshot(read: SnapshotRead): Promise<boolean> {
  const { config, context, admin } = read
  const connection = config.connection
  await read.types.load(
    admin,
    read.tables.flatMap((table) => table.columns.map((column) => column.typeOid)),
  )
  const tables = read.tables.map((table) => ({
    table: captureTable(config, read.types, connection.database, {
      ...table,
      identityColumns: table.primaryKey,
    }),
    primaryKey: table.primaryKey,
    estimatedRows: table.estimatedRows,
  }))
  const reader = await connectClient(connection, { applicationName: read.applicationName })
  try {
    return await runSnapshot({
      reader,
      tables,
      snapshotName: read.snapshotName,
      lsn: read.lsn,
      fetchSize: config.snapshotFetchSize,
      sink: context.sink,
      monitor: context.monitor,
      signal: read.signal,
      source: { version: read.version, name: config.topicPrefix, db: connection.database },
      onImported: read.onImported,
      commitPosition: read.commitPosition,
    })
  } finally {
    await reader.end().catch(() => undefined)
  }
}
