import { CdcError } from '../../common/errors.ts'
import type { Position } from '../ports.ts'
import { formatLsn, parseLsn, type Lsn } from './lsn.ts'

/**
 * What this connector stores as its position. `lsn` is where streaming resumes and what
 * has been confirmed to the slot: a commit's end LSN, a keepalive's WAL end, or the slot's
 * consistent point once a snapshot completed. While a snapshot runs, the positions it
 * commits say `snapshot_completed: false`, so that a restart takes the snapshot again
 * instead of streaming after half of it.
 */
export interface PgPosition {
  lsn: Lsn
  snapshotCompleted: boolean
  /** xid of the last committed transaction, when the position is a commit. */
  txId: number | null
  /** Commit time of that transaction, µs since the epoch. */
  tsUsec: number | null
}

export function encodePosition(position: PgPosition): Position {
  return {
    lsn: formatLsn(position.lsn),
    snapshot_completed: position.snapshotCompleted,
    txId: position.txId,
    ts_usec: position.tsUsec,
  }
}

export function decodePosition(position: Position): PgPosition {
  const { lsn, snapshot_completed: completed, txId, ts_usec: tsUsec } = position
  try {
    if (typeof lsn !== 'string' || typeof completed !== 'boolean')
      throw new Error('lsn or snapshot_completed missing')
    return {
      lsn: parseLsn(lsn),
      snapshotCompleted: completed,
      txId: typeof txId === 'number' ? txId : null,
      tsUsec: typeof tsUsec === 'number' ? tsUsec : null,
    }
  } catch (cause) {
    throw new CdcError(
      'CDC_PG_POSITION_UNAVAILABLE',
      `stored position ${JSON.stringify(position)} was not written by this PostgreSQL connector (${(cause as Error).message}); delete the connector's stored position to start over`,
      { cause },
    )
  }
}
