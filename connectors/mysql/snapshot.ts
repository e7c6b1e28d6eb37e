import type { RowChangeEvent } from '../../envelope/change-event.ts'
import type { SnapshotMarker } from '../../envelope/source-schema.ts'
import type { ConnectorMonitor } from '../plugin.ts'
import type { ChangeSink, Position } from '../ports.ts'
import type { CapturedTable } from './captured-table.ts'
import { rowFromSnapshot, snapshotSelect } from './captured-table.ts'
import type { Flavor } from './config-def.ts'
import type { Queryable, RawRow } from './connection.ts'
import { encodePosition, type MysqlPosition } from './position.ts'
import type { SnapshotPoint } from './snapshot-position.ts'
import { sourceBlock } from './source-info.ts'

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

export interface SnapshotReader extends Queryable {
  streamRows(sql: string, onRow: (row: RawRow) => Promise<void>): Promise<number>
}

export interface SnapshotRun {
  /** A connection inside the snapshot transaction (see startSnapshot). */
  reader: SnapshotReader
  point: SnapshotPoint
  tables: readonly CapturedTable[]
  /** Rows between progress reports and intermediate commits. */
  fetchSize: number
  sink: ChangeSink
  monitor: ConnectorMonitor
  signal: AbortSignal
  source: { flavor: Flavor; version: string; name: string }
  /** The position each commit stores; by default `point`'s with `snapshot_completed`. */
  commitPosition?: (completed: boolean) => Position
}

interface HeldRow {
  event: Omit<RowChangeEvent, 'source'>
  table: CapturedTable
  firstInSnapshot: boolean
  firstInTable: boolean
  timeUs: bigint
}

class Stopped extends Error {}

/**
 * Reads every table inside the snapshot transaction, so the rows are exactly the state at
 * the snapshot's binlog point, and emits them as `r` events. One row is held back to know
 * whether it is the last of its table or of the snapshot. Positions committed meanwhile say
 * the snapshot is incomplete. Returns the position to stream from, or null when `signal`
 * stopped it first.
 */
export async function runSnapshot(run: SnapshotRun): Promise<MysqlPosition | null> {
  const { reader, sink, monitor, point } = run
  const position = (completed: boolean): MysqlPosition => ({
    file: point.file,
    pos: point.pos,
    gtids: point.gtids,
    snapshotCompleted: completed,
    tsMs: null,
  })
  const positionAt =
    run.commitPosition ?? ((completed: boolean) => encodePosition(position(completed)))
  // Mutated inside the row callback, so kept in an object the compiler does not narrow.
  const state: { held: HeldRow | null; emitted: number } = { held: null, emitted: 0 }
  const emit = async (row: HeldRow, lastInTable: boolean, lastInSnapshot: boolean) => {
    const id = row.table.def
    const source = sourceBlock({
      ...run.source,
      timeUs: row.timeUs,
      snapshot: snapshotMarker(row.firstInSnapshot, lastInSnapshot, row.firstInTable, lastInTable),
      db: id.database,
      table: id.table,
      serverId: 0,
      gtid: null,
      file: point.file,
      pos: point.pos,
      row: 0,
      thread: null,
      query: null,
    })
    state.emitted++
    await sink.emit({ ...row.event, source })
  }

  for (const table of run.tables) {
    const name = `${table.def.database}.${table.def.table}`
    let rowsDone = 0
    let firstInTable = true
    const report = (done: boolean) => {
      monitor.snapshotProgress({
        table: name,
        rowsDone,
        rowsEstimated: table.def.estimatedRows,
        done,
      })
    }
    report(false)
    try {
      await reader.streamRows(snapshotSelect(table), async (values) => {
        if (run.signal.aborted) throw new Stopped()
        const timeUs = BigInt(Date.now()) * 1000n
        const after = rowFromSnapshot(table, values)
        const previous = state.held
        if (previous !== null) await emit(previous, previous.table !== table, false)
        state.held = {
          event: {
            kind: 'row',
            op: 'r',
            table: table.schema,
            before: null,
            after,
            tsMs: Date.now(),
          },
          table,
          firstInSnapshot: previous === null && state.emitted === 0,
          firstInTable,
          timeUs,
        }
        firstInTable = false
        rowsDone++
        monitor.eventsSeen(1)
        if (rowsDone % run.fetchSize === 0) {
          report(false)
          await sink.commit(positionAt(false))
        }
      })
    } catch (error) {
      if (!(error instanceof Stopped)) throw error
      if (state.held !== null) await emit(state.held, false, false)
      if (state.emitted > 0) await sink.commit(positionAt(false))
      return null
    }
    report(true)
  }
  // The held row's fate (last of the snapshot or not) waits for the remaining tables,
  // which may all be empty.
  if (state.held !== null) await emit(state.held, true, true)
  await reader.query('COMMIT')
  await sink.commit(positionAt(true))
  return position(true)
}
