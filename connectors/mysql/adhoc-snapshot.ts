import { withPendingSnapshot } from '../adhoc-snapshot-position.ts'
import type { ConnectorContext } from '../plugin.ts'
import type { Position } from '../ports.ts'
import { captureTable } from './captured-table.ts'
import { describeTables, listCapturedTables, type TableName } from './catalog.ts'
import type { MysqlConfig } from './config.ts'
import { MysqlSession, type Queryable } from './connection.ts'
import { classifyMysqlError, isDriverError } from './mysql-errors.ts'
import { decodePosition } from './position.ts'
import type { ServerInfo } from './server-info.ts'
import { runSnapshot } from './snapshot.ts'
import { tableKey } from './table-def.ts'

/** The base tables the include/exclude lists capture now, keyed by `database.table`. */
export async function capturedTables(
  session: Queryable,
  config: MysqlConfig,
): Promise<Map<string, TableName>> {
  const tables = await listCapturedTables(session, config)
  return new Map(tables.map((table) => [tableKey(table.database, table.table), table]))
}

/** `capturedTables` on a connection of its own, for checking a request. */
export async function capturedTableNames(config: MysqlConfig): Promise<string[]> {
  const session = await MysqlSession.open(config.connection, 'checking an ad-hoc snapshot request')
  try {
    return [...(await capturedTables(session, config)).keys()]
  } catch (error) {
    if (!isDriverError(error)) throw error
    throw classifyMysqlError(error, 'listing the captured tables')
  } finally {
    await session.close()
  }
}

export interface AdhocSnapshot {
  config: MysqlConfig
  context: ConnectorContext
  info: ServerInfo
  /** `database.table` names, checked when the request was taken. */
  tables: readonly string[]
  /** Where streaming resumes: committed with the tables pending meanwhile, as it is at the end. */
  from: Position
  version: string
  signal: AbortSignal
}

/**
 * Debezium's blocking snapshot, with the dump closed: reads the tables in one
 * `START TRANSACTION WITH CONSISTENT SNAPSHOT` with the initial snapshot's reader and
 * markers (no lock and no binlog point: streaming resumes from where it stopped, so every
 * change committed since follows as c/u/d). Columns come from information_schema now,
 * not from the stream's schema history, since the rows are today's. Returns false when
 * stopped before it completed (the tables stay pending).
 */
export async function takeAdhocSnapshot(snapshot: AdhocSnapshot): Promise<boolean> {
  const { config, context, from } = snapshot
  context.monitor.phase('snapshot')
  const at = decodePosition(from)
  const reader = await MysqlSession.open(config.connection, 'the ad-hoc snapshot')
  try {
    // A paused sink pauses the result stream; the server must not give up on it meanwhile.
    await reader.query('SET SESSION net_write_timeout = 3600')
    await reader.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ')
    await reader.query('START TRANSACTION WITH CONSISTENT SNAPSHOT')
    const captured = await capturedTables(reader, config)
    const gone = snapshot.tables.filter((name) => !captured.has(name))
    if (gone.length > 0) {
      context.logger.warn(
        'tables of the ad-hoc snapshot are no longer captured (dropped, renamed or filtered out); they are left out',
        { tables: gone },
      )
    }
    const names = snapshot.tables.flatMap((name) => captured.get(name) ?? [])
    const defs = await describeTables(reader, names, snapshot.info.mariadb)
    const tables = names.flatMap((name) => {
      const def = defs.get(tableKey(name.database, name.table))
      return def === undefined ? [] : [captureTable(config, def)]
    })
    context.logger.info('taking an ad-hoc snapshot', {
      tables: tables.map((table) => tableKey(table.def.database, table.def.table)),
    })
    const completed = await runSnapshot({
      reader,
      point: { file: at.file, pos: at.pos, gtids: at.gtids, exact: true },
      tables,
      fetchSize: config.snapshotFetchSize,
      sink: context.sink,
      monitor: context.monitor,
      signal: snapshot.signal,
      source: { flavor: config.flavor, version: snapshot.version, name: config.topicPrefix },
      commitPosition: (done) => (done ? from : withPendingSnapshot(from, snapshot.tables)),
    })
    return completed !== null
  } finally {
    // A stopped snapshot leaves a result set half read; closing would wait for all of it.
    reader.destroy()
  }
}
