import type pg from 'pg'
import type { ConnectorContext } from '../plugin.ts'
import { captureTable } from './captured-table.ts'
import type { CatalogTable } from './catalog.ts'
import type { PostgresConfig } from './config.ts'
import { connectClient } from './connection.ts'
import { parseLsn, type Lsn } from './lsn.ts'
import { runSnapshot } from './snapshot.ts'
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
  const { config, context, admin } = phase
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
    await phase.types.load(
      admin,
      phase.tables.flatMap((table) => table.columns.map((column) => column.typeOid)),
    )
    const tables = phase.tables.map((table) => ({
      table: captureTable(config, phase.types, connection.database, {
        ...table,
        identityColumns: table.primaryKey,
      }),
      primaryKey: table.primaryKey,
      estimatedRows: table.estimatedRows,
    }))
    const reader = await connectClient(connection, { applicationName: phase.applicationName })
    try {
      const completed = await runSnapshot({
        reader,
        tables,
        snapshotName: created?.snapshotName ?? null,
        lsn,
        fetchSize: config.snapshotFetchSize,
        sink: context.sink,
        monitor: context.monitor,
        signal: phase.signal,
        source: { version: phase.version, name: config.topicPrefix, db: connection.database },
        onImported: closeSlotClient,
      })
      return completed ? lsn : null
    } finally {
      await reader.end().catch(() => undefined)
    }
  } finally {
    await closeSlotClient()
  }
}
