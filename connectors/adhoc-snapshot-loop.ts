import { errorMessage } from '../common/errors.ts'
import type { AdhocSnapshotRequests } from './adhoc-snapshot-requests.ts'
import { withPendingSnapshot } from './adhoc-snapshot-position.ts'
import type { CommitTrackingSink } from './commit-tracking-sink.ts'
import type { ConnectorMonitor } from './plugin.ts'
import type { Position } from './ports.ts'

export interface AdhocSnapshotLoop {
  requests: AdhocSnapshotRequests
  /** The task's sink: it knows the position streaming stopped at. */
  sink: CommitTrackingSink
  monitor: ConnectorMonitor
  signal: AbortSignal
  /** Where streaming starts (a stored position, or one standing for the start point). */
  from: Position
  /** Tables of an ad-hoc snapshot that the stored position says did not complete. */
  pending: readonly string[] | null
  /**
   * Streams from `from` until `signal` aborts or, between transactions, a request waits
   * (`requests.waiting`); every emitted event is committed when it resolves.
   */
  stream(from: Position): Promise<void>
  /**
   * Reads `tables` in one consistent transaction as `r` events, committing `from` with the
   * tables pending meanwhile and `from` as it is at the end; false when `signal` stopped it.
   */
  snapshot(tables: readonly string[], from: Position): Promise<boolean>
}

/**
 * Streaming with Debezium's blocking ad-hoc snapshots: a request stops streaming at a
 * transaction boundary once everything before it is committed, is recorded in the
 * position (so a restart takes it again), the tables are read, and streaming resumes from
 * the unchanged position: changes committed meanwhile follow the `r` events as c/u/d.
 */
export async function streamWithAdhocSnapshots(loop: AdhocSnapshotLoop): Promise<void> {
  const { requests, sink, signal } = loop
  let from = withPendingSnapshot(loop.from, null)
  let pending = loop.pending
  let reason = 'it stopped'
  try {
    for (;;) {
      if (pending !== null) {
        if (!(await loop.snapshot(pending, from)) || isAborted(signal)) return
        pending = null
      }
      loop.monitor.phase('streaming')
      sink.reset(from)
      requests.open()
      try {
        await loop.stream(from)
      } finally {
        requests.close()
      }
      // Every commit of the stream resolved: its last one is where streaming continues.
      from = sink.lastCommitted ?? from
      const request = requests.take()
      if (request === null) return
      try {
        await sink.commit(withPendingSnapshot(from, request.tables))
      } catch (error) {
        request.failed(error)
        throw error
      }
      request.accepted()
      if (isAborted(signal)) return
      pending = request.tables
    }
  } catch (error) {
    reason = `it failed: ${errorMessage(error)}`
    throw error
  } finally {
    requests.close()
    requests.abandon(reason)
  }
}

/** Read through a call: the signal may abort while the loop awaits. */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted
}
