import type pg from 'pg'
import { setTimeout as delay } from 'node:timers/promises'
import { CdcError } from '../../common/errors.ts'
import type { PostgresConnection } from './config.ts'
import { connectClient, quoteIdent } from './connection.ts'
import { parseLsn, type Lsn } from './lsn.ts'
import { classifyPgError } from './pg-errors.ts'
import type { Queryable } from './queryable.ts'
import type { SlotState } from './start-plan.ts'

interface SlotRow {
  plugin: string | null
  slot_type: string
  database: string | null
  confirmed_flush_lsn: string | null
  restart_lsn: string | null
  wal_status: string | null
  active_pid: string | null
}

/** The slot's state, or null when it does not exist; a slot we cannot use is an error. */
export async function inspectSlot(
  admin: Queryable,
  slotName: string,
  database: string,
): Promise<SlotState | null> {
  const { rows } = await admin.query<SlotRow>(
    `select plugin, slot_type, database, confirmed_flush_lsn, restart_lsn, wal_status, active_pid
       from pg_replication_slots where slot_name = $1`,
    [slotName],
  )
  const row = rows[0]
  if (row === undefined) return null
  if (row.slot_type !== 'logical' || row.plugin !== 'pgoutput' || row.database !== database) {
    throw new CdcError(
      'CDC_CONFIG_INVALID',
      `replication slot ${slotName} exists as a ${row.slot_type} slot for plugin ${row.plugin ?? 'none'} in database ${row.database ?? 'none'}; this connector needs a pgoutput logical slot in ${database}: choose another slot.name`,
    )
  }
  return {
    confirmedFlushLsn: row.confirmed_flush_lsn === null ? null : parseLsn(row.confirmed_flush_lsn),
    restartLsn: row.restart_lsn === null ? null : parseLsn(row.restart_lsn),
    walStatus: row.wal_status,
    activePid: row.active_pid === null ? null : Number(row.active_pid),
  }
}

/**
 * Waits for the slot to have no walsender. A previous run's walsender lets go shortly after
 * its connection closes (or at wal_sender_timeout after a crash), so a held slot is first
 * waited for, then reported as in use, which the runtime retries.
 */
export async function awaitSlotFree(
  admin: Queryable,
  slotName: string,
  database: string,
  timeoutMs: number,
): Promise<SlotState | null> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const state = await inspectSlot(admin, slotName, database)
    if (state?.activePid === null || state === null) return state
    if (Date.now() >= deadline) {
      throw new CdcError(
        'CDC_PG_SLOT_IN_USE',
        `replication slot ${slotName} is in use by process ${state.activePid}; another client streams from it. Give this connector its own slot.name, or end that process with SELECT pg_terminate_backend(${state.activePid})`,
        { retriable: true, details: { slot: slotName, activePid: state.activePid } },
      )
    }
    await delay(100)
  }
}

export async function dropSlot(
  admin: Queryable,
  slotName: string,
  database: string,
): Promise<void> {
  if ((await awaitSlotFree(admin, slotName, database, 10_000)) === null) return
  try {
    await admin.query('select pg_drop_replication_slot($1)', [slotName])
  } catch (error) {
    throw classifyPgError(error, `dropping replication slot ${slotName}`)
  }
}

export interface CreatedSlot {
  consistentPoint: Lsn
  /** The exported snapshot; valid until the next command on `client` or its close. */
  snapshotName: string | null
  /** The replication connection that created the slot, kept open while the snapshot is imported. */
  client: pg.Client
}

/**
 * CREATE_REPLICATION_SLOT on a replication connection; with `exportSnapshot` the slot's
 * start and the exported snapshot are the same point. The caller closes `client` once
 * every reader imported the snapshot.
 */
export async function createSlot(
  connection: PostgresConnection,
  slotName: string,
  exportSnapshot: boolean,
  serverVersion: number,
  applicationName: string,
): Promise<CreatedSlot> {
  const client = await connectClient(connection, { applicationName, replication: true })
  const option =
    serverVersion >= 150000
      ? `(SNAPSHOT '${exportSnapshot ? 'export' : 'nothing'}')`
      : exportSnapshot
        ? 'EXPORT_SNAPSHOT'
        : 'NOEXPORT_SNAPSHOT'
  try {
    const { rows } = await client.query<{ consistent_point: string; snapshot_name: string | null }>(
      `CREATE_REPLICATION_SLOT ${quoteIdent(slotName)} LOGICAL pgoutput ${option}`,
    )
    const row = rows[0]
    if (row === undefined) throw new Error('CREATE_REPLICATION_SLOT returned no row')
    return {
      consistentPoint: parseLsn(row.consistent_point),
      snapshotName: row.snapshot_name,
      client,
    }
  } catch (error) {
    await client.end().catch(() => undefined)
    throw classifyPgError(error, `creating replication slot ${slotName}`)
  }
}
