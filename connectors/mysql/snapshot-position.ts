import { CdcError } from '../../common/errors.ts'
import type { Queryable } from './connection.ts'
import type { SnapshotLockingMode } from './config.ts'
import { ErrorNumber } from './mysql-errors.ts'
import type { BinlogCoordinates } from './position.ts'
import type { ServerInfo } from './server-info.ts'
import { mariadbGtidPositionAt, readBinlogStatus } from './server-info.ts'

export interface SnapshotPoint extends BinlogCoordinates {
  gtids: string
  /** False when writes may have slipped between the snapshot and the position (MySQL, none). */
  exact: boolean
}

function errnoOf(error: unknown): number | null {
  const cause = error instanceof CdcError ? error.cause : error
  const errno = (cause as { errno?: unknown } | undefined)?.errno
  return typeof errno === 'number' ? errno : null
}

/**
 * MariaDB: START TRANSACTION WITH CONSISTENT SNAPSHOT publishes the binlog position its
 * snapshot stands for (Binlog_snapshot_file/position) and BINLOG_GTID_POS turns that into
 * the GTID position, all without a lock.
 */
async function mariadbPoint(session: Queryable): Promise<SnapshotPoint> {
  await session.query('START TRANSACTION WITH CONSISTENT SNAPSHOT')
  const rows = await session.query("SHOW STATUS LIKE 'binlog_snapshot_%'")
  const value = (name: string) =>
    rows.find((row) => row.Variable_name?.toLowerCase() === name)?.Value ?? null
  const file = value('binlog_snapshot_file')
  const pos = value('binlog_snapshot_position')
  if (file === null || file === '' || pos === null) {
    throw new CdcError(
      'CDC_MYSQL_BINLOG_CONFIG',
      'the consistent snapshot reports no binlog position (Binlog_snapshot_file is empty): binary logging is off; set log_bin and restart the server',
    )
  }
  const point = { file, pos: Number(pos) }
  return { ...point, gtids: await mariadbGtidPositionAt(session, point), exact: true }
}

/**
 * MySQL has no snapshot position: with `minimal` locking, writes stop (FLUSH TABLES WITH
 * READ LOCK) just long enough to start the snapshot and read the position, so the two
 * stand for the same point; `none` reads the position right after the snapshot started.
 */
async function mysqlPoint(
  session: Queryable,
  info: ServerInfo,
  locking: SnapshotLockingMode,
  user: string,
): Promise<SnapshotPoint> {
  const lock = locking === 'minimal'
  if (lock) {
    try {
      await session.query('FLUSH TABLES WITH READ LOCK')
    } catch (error) {
      if (errnoOf(error) !== ErrorNumber.SPECIFIC_ACCESS_DENIED) throw error
      throw new CdcError(
        'CDC_MYSQL_PRIVILEGE',
        `user ${user} may not run FLUSH TABLES WITH READ LOCK, which snapshot.locking.mode=minimal needs on MySQL: run GRANT RELOAD ON *.* TO ${user}, or set snapshot.locking.mode=none when nothing writes while the connector starts`,
        { cause: error },
      )
    }
  }
  try {
    // FLUSH TABLES resets the session's isolation level, so it is set again here.
    await session.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ')
    await session.query('START TRANSACTION WITH CONSISTENT SNAPSHOT')
    const status = await readBinlogStatus(session, info)
    return { file: status.file, pos: status.pos, gtids: status.executedGtids, exact: lock }
  } finally {
    if (lock) await session.query('UNLOCK TABLES')
  }
}

/** Starts the snapshot transaction on `session` and returns the binlog point it stands for. */
export async function startSnapshot(
  session: Queryable,
  info: ServerInfo,
  locking: SnapshotLockingMode,
  user: string,
): Promise<SnapshotPoint> {
  await session.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ')
  return info.mariadb ? mariadbPoint(session) : mysqlPoint(session, info, locking, user)
}
