import type pg from 'pg'
import type { RowChangeEvent } from '../../envelope/change-event.ts'
import type { SnapshotMarker } from '../../envelope/source-schema.ts'
import type { ConnectorMonitor } from '../plugin.ts'
import type { ChangeSink, Position } from '../ports.ts'
import { buildRow, type CapturedTable } from './captured-table.ts'
import { qualifiedName, quoteIdent, quoteLiteral } from './connection.ts'
import type { Lsn } from './lsn.ts'
import { classifyPgError } from './pg-errors.ts'
import { encodePosition } from './position.ts'
import { sourceBlock } from './source-info.ts'

export interface SnapshotTable {
  table: CapturedTable
  primaryKey: readonly string[]
  estimatedRows: number | null
}

export interface SnapshotRun {
  /** A normal (not replication) connection, used for nothing else meanwhile. */
  reader: pg.Client
  tables: readonly SnapshotTable[]
  /** The slot's exported snapshot; null reads a fresh REPEATABLE READ snapshot (initial_only). */
  snapshotName: string | null
  /** The slot's consistent point: where streaming continues after this snapshot. */
  lsn: Lsn
  fetchSize: number
  sink: ChangeSink
  monitor: ConnectorMonitor
  signal: AbortSignal
  source: { version: string; name: string; db: string }
  /** Called once the snapshot is imported, so the slot's connection may be closed. */
  onImported: () => Promise<void>
  /**
   * The position each commit stores; by default `lsn` with `snapshot_completed` saying
   * whether the snapshot is complete.
   */
  commitPosition?: (completed: boolean, txId: number | null) => Position
}

/** Debezium's SnapshotMarkerResolver. */
export function snapshotMarker(
  firstInSnapshot: boolean,
  lastInSnapshot: boolean,
  firstInTable: boolean,
  lastInTable: boolean,
): SnapshotMarker {
  if (lastInSnapshot) return 'last'
  if (firstInSnapshot) return 'first'
  if (lastInTable) return 'last_in_data_collection'
  if (firstInTable) return 'first_in_data_collection'
  return 'true'
}

interface PendingRow {
  event: Omit<RowChangeEvent, 'source'>
  table: CapturedTable
  firstInSnapshot: boolean
  firstInTable: boolean
  timeUs: bigint
}

/**
 * Reads every table inside one REPEATABLE READ transaction that imported the slot's
 * exported snapshot, so the rows are exactly the state at the slot's consistent point.
 * Each table is read through a cursor in primary-key order, `fetchSize` rows at a time;
 * one row is held back to know whether it is the last of its table or of the snapshot.
 * Positions committed meanwhile say the snapshot is incomplete. Returns false when
 * `signal` stopped it early.
 */
export async function runSnapshot(run: SnapshotRun): Promise<boolean> {
  const { reader, sink, monitor } = run
  let txId: number | null = null
  let pending: PendingRow | null = null
  let emitted = 0

  const emit = async (
    row: PendingRow,
    lastInTable: boolean,
    lastInSnapshot: boolean,
  ): Promise<void> => {
    const marker = snapshotMarker(
      row.firstInSnapshot,
      lastInSnapshot,
      row.firstInTable,
      lastInTable,
    )
    const id = row.table.schema.id
    const source = sourceBlock({
      ...run.source,
      timeUs: row.timeUs,
      snapshot: marker,
      lastCommitLsn: null,
      lsn: run.lsn,
      txId,
      schema: id.schema,
      table: id.table,
    })
    emitted++
    await sink.emit({ ...row.event, source })
  }
  const positionAt =
    run.commitPosition ??
    ((completed: boolean, id: number | null) =>
      encodePosition({ lsn: run.lsn, snapshotCompleted: completed, txId: id, tsUsec: null }))
  const commitIncomplete = () => sink.commit(positionAt(false, txId))

  try {
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY')
    if (run.snapshotName !== null)
      await reader.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(run.snapshotName)}`)
    await run.onImported()
    txId = Number(
      (await reader.query<{ txid: string }>('select txid_current() as txid')).rows[0]?.txid,
    )
    for (const entry of run.tables) {
      const { table } = entry
      const name = `${table.schema.id.schema}.${table.schema.id.table}`
      const columns = table.columns.map((column) => quoteIdent(column.name)).join(', ')
      const order =
        entry.primaryKey.length > 0
          ? ` ORDER BY ${entry.primaryKey.map(quoteIdent).join(', ')}`
          : ''
      await reader.query(
        `DECLARE cdc_snapshot NO SCROLL CURSOR FOR SELECT ${columns === '' ? 'NULL' : columns} FROM ${qualifiedName(table.schema.id.schema, table.schema.id.table)}${order}`,
      )
      let rowsDone = 0
      let firstInTable = true
      for (;;) {
        if (run.signal.aborted) {
          if (pending !== null) await emit(pending, false, false)
          if (emitted > 0) await commitIncomplete()
          await reader.query('ROLLBACK')
          return false
        }
        const result = await reader.query<unknown[]>({
          text: `FETCH FORWARD ${run.fetchSize} FROM cdc_snapshot`,
          rowMode: 'array',
        })
        const timeUs = BigInt(Date.now()) * 1000n
        for (const values of result.rows) {
          if (pending !== null) await emit(pending, pending.table !== table, false)
          const after = buildRow(table, (_column, position) => values[position] as string | null)
          pending = {
            event: {
              kind: 'row',
              op: 'r',
              table: table.schema,
              before: null,
              after,
              tsMs: Date.now(),
            },
            table,
            firstInSnapshot: emitted === 0 && pending === null,
            firstInTable,
            timeUs,
          }
          firstInTable = false
          rowsDone++
        }
        monitor.eventsSeen(result.rows.length)
        const done = result.rows.length < run.fetchSize
        monitor.snapshotProgress({
          table: name,
          rowsDone,
          rowsEstimated: entry.estimatedRows,
          done,
        })
        if (done) break
        await commitIncomplete()
      }
      // The held row's fate (last of the snapshot or not) waits for the remaining tables,
      // which may all be empty.
      await reader.query('CLOSE cdc_snapshot')
    }
    if (pending !== null) await emit(pending, true, true)
    await reader.query('COMMIT')
    await sink.commit(positionAt(true, null))
    return true
  } catch (error) {
    await reader.query('ROLLBACK').catch(() => undefined)
    throw classifyPgError(error, 'taking the snapshot')
  }
}
