import { CdcError } from '../../common/errors.ts'
import type { Position } from '../ports.ts'

/** A place in the binlog: a file and a byte offset in it. */
export interface BinlogCoordinates {
  file: string
  pos: number
}

/**
 * What this connector stores as its position: always the start of the next transaction
 * (committed only at transaction boundaries, so a restart neither skips nor repeats a
 * committed transaction), with the GTID position of everything before it. While a
 * snapshot runs, its positions say `snapshot_completed: false`, so that a restart takes
 * the snapshot again instead of streaming after half of it.
 */
export interface MysqlPosition extends BinlogCoordinates {
  /** MariaDB `domain-server-seq,...` or MySQL GTID set text; '' when the server has none. */
  gtids: string
  snapshotCompleted: boolean
  /** Commit time of the last committed transaction, ms since the epoch. */
  tsMs: number | null
}

export function encodePosition(position: MysqlPosition): Position {
  return {
    file: position.file,
    pos: position.pos,
    gtids: position.gtids,
    snapshot_completed: position.snapshotCompleted,
    ts_ms: position.tsMs,
  }
}

export function decodePosition(position: Position): MysqlPosition {
  const { file, pos, gtids, snapshot_completed: completed, ts_ms: tsMs } = position
  if (
    typeof file !== 'string' ||
    typeof pos !== 'number' ||
    !Number.isSafeInteger(pos) ||
    pos < 0 ||
    typeof completed !== 'boolean' ||
    (gtids !== undefined && gtids !== null && typeof gtids !== 'string')
  ) {
    throw new CdcError(
      'CDC_MYSQL_POSITION_UNAVAILABLE',
      `stored position ${JSON.stringify(position)} was not written by this MySQL/MariaDB connector (it needs file, pos and snapshot_completed); delete the connector's stored position to start over`,
    )
  }
  return {
    file,
    pos,
    gtids: typeof gtids === 'string' ? gtids : '',
    snapshotCompleted: completed,
    tsMs: typeof tsMs === 'number' ? tsMs : null,
  }
}

/** The sequence number of a binlog file name (`mysql-bin.000042` → 42); null when it has none. */
export function binlogFileIndex(file: string): number | null {
  const match = /\.(\d+)$/.exec(file)
  return match === null ? null : Number(match[1])
}

/** Orders coordinates by file sequence number, then offset. */
export function compareCoordinates(a: BinlogCoordinates, b: BinlogCoordinates): number {
  if (a.file !== b.file) {
    const left = binlogFileIndex(a.file)
    const right = binlogFileIndex(b.file)
    if (left !== null && right !== null && left !== right) return left < right ? -1 : 1
    return a.file < b.file ? -1 : 1
  }
  return a.pos === b.pos ? 0 : a.pos < b.pos ? -1 : 1
}

/** Whether `file` is among the files the server still keeps (SHOW BINARY LOGS). */
export function isRetained(file: string, retained: readonly { name: string }[]): boolean {
  return retained.some((entry) => entry.name === file)
}

/**
 * Bytes between `from` and `to`, from the sizes of the files the server keeps; null when
 * `from` is not among them.
 */
export function bytesBetween(
  from: BinlogCoordinates,
  to: BinlogCoordinates,
  files: readonly { name: string; size: number }[],
): number | null {
  if (compareCoordinates(from, to) >= 0) return 0
  const start = files.findIndex((entry) => entry.name === from.file)
  const end = files.findIndex((entry) => entry.name === to.file)
  if (start < 0 || end < 0) return null
  if (start === end) return to.pos - from.pos
  let bytes = (files[start]?.size ?? 0) - from.pos
  for (let index = start + 1; index < end; index++) bytes += files[index]?.size ?? 0
  return bytes + to.pos
}
