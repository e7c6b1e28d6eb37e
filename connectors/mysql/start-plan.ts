import { CdcError } from '../../common/errors.ts'
import type { SnapshotMode } from './config.ts'
import type { MysqlPosition } from './position.ts'

/**
 * What a run does first, from the snapshot mode and the stored position, as Debezium's
 * snapshotters decide it. `resnapshot` says whether a position the server no longer has
 * leads to a new snapshot (when_needed) rather than an error.
 */
export type StartPlan =
  | { kind: 'snapshot'; stream: boolean }
  | { kind: 'stream'; from: MysqlPosition; resnapshot: boolean }
  /** no_data without a stored position: from the server's current position. */
  | { kind: 'streamFromCurrent' }
  /** never without a stored position: from the start of the oldest binlog file kept. */
  | { kind: 'streamFromOldest' }
  | { kind: 'done' }

export function planStart(mode: SnapshotMode, position: MysqlPosition | null): StartPlan {
  switch (mode) {
    case 'initial_only':
      return position?.snapshotCompleted === true
        ? { kind: 'done' }
        : { kind: 'snapshot', stream: false }
    case 'always':
      return { kind: 'snapshot', stream: true }
    case 'initial':
    case 'when_needed':
      return position === null || !position.snapshotCompleted
        ? { kind: 'snapshot', stream: true }
        : { kind: 'stream', from: position, resnapshot: mode === 'when_needed' }
    case 'no_data':
      return position === null
        ? { kind: 'streamFromCurrent' }
        : { kind: 'stream', from: position, resnapshot: false }
    case 'never':
      return position === null
        ? { kind: 'streamFromOldest' }
        : { kind: 'stream', from: position, resnapshot: false }
  }
}

/** The error for a stored position the server no longer has, saying what when_needed would do. */
export function positionUnavailable(
  position: MysqlPosition,
  why: string,
  cause?: unknown,
): CdcError {
  const coordinates = `${position.file}:${position.pos}`
  // Both forms: the GTIDs are what a resume asks for, the file is what an operator finds
  // (or misses) in SHOW BINARY LOGS.
  const at =
    position.gtids !== '' ? `GTID position ${position.gtids}, binlog ${coordinates}` : coordinates
  return new CdcError(
    'CDC_MYSQL_POSITION_UNAVAILABLE',
    `the stored position (${at}) cannot be streamed from: ${why}. The changes since then are no longer in the binlog; set snapshot.mode=when_needed to take a new snapshot and continue from there, or delete the connector's stored position`,
    cause === undefined ? {} : { cause },
  )
}
