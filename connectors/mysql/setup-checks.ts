import { CdcError } from '../../common/errors.ts'
import type { Queryable } from './connection.ts'
import { ErrorNumber } from './mysql-errors.ts'
import type { ServerInfo } from './server-info.ts'
import { binlogStatusStatement } from './server-info.ts'
import { qualifiedName } from './sql-text.ts'

function binlogConfig(message: string): CdcError {
  return new CdcError('CDC_MYSQL_BINLOG_CONFIG', message)
}

/**
 * The binlog must hold full row images of every change: ROW format, FULL images, no
 * partial JSON diffs, and (MariaDB 11.4+) real event positions to resume from.
 */
export function checkBinlogSettings(info: ServerInfo): void {
  const setting = (name: string) => info.variables.get(name)?.toUpperCase() ?? null
  const logBin = setting('log_bin')
  if (logBin !== 'ON' && logBin !== '1') {
    throw binlogConfig(
      'binary logging is off (log_bin=OFF): set log_bin in the server configuration (e.g. log_bin=mysql-bin) and restart the server',
    )
  }
  const format = setting('binlog_format')
  if (format !== null && format !== 'ROW') {
    throw binlogConfig(
      `binlog_format is ${format}, but only ROW images carry the changed rows: run SET GLOBAL binlog_format = 'ROW' and set it in the server configuration (sessions started before keep their format)`,
    )
  }
  const image = setting('binlog_row_image')
  if (image !== null && image !== 'FULL') {
    throw binlogConfig(
      `binlog_row_image is ${image}, so updates and deletes lack the columns Debezium's before and after need: run SET GLOBAL binlog_row_image = 'FULL' and set it in the server configuration`,
    )
  }
  const valueOptions = setting('binlog_row_value_options') ?? ''
  if (valueOptions.includes('PARTIAL_JSON')) {
    throw binlogConfig(
      "binlog_row_value_options=PARTIAL_JSON logs JSON updates as diffs the connector cannot turn into rows: run SET GLOBAL binlog_row_value_options = ''",
    )
  }
  if (info.mariadb && setting('binlog_legacy_event_pos') === 'OFF') {
    throw binlogConfig(
      'binlog_legacy_event_pos=OFF makes MariaDB write events without their binlog positions, which the connector resumes from: run SET GLOBAL binlog_legacy_event_pos = ON and set it in the server configuration',
    )
  }
}

/**
 * Whether table maps carry column names (binlog_row_metadata=FULL). Without them the
 * connector maps columns by position from information_schema and refuses tables whose
 * columns do not fit (see table-map-match.ts).
 */
export function hasFullRowMetadata(info: ServerInfo): boolean {
  return info.variables.get('binlog_row_metadata')?.toUpperCase() === 'FULL'
}

/** The connector's replica id must be its own: not the server's, not another replica's. */
export function checkServerId(
  info: ServerInfo,
  serverId: number,
  replicas: readonly { serverId: number; host: string }[],
  replicaName: string,
): void {
  if (serverId === info.serverId) {
    throw new CdcError(
      'CDC_MYSQL_SERVER_ID_CLASH',
      `database.server.id=${serverId} is the server's own server_id; choose another id, unique among the server and all its replicas and connectors`,
    )
  }
  const other = replicas.find(
    (replica) => replica.serverId === serverId && replica.host !== replicaName,
  )
  if (other !== undefined) {
    throw new CdcError(
      'CDC_MYSQL_SERVER_ID_CLASH',
      `a replica on ${other.host} is connected with server id ${serverId} (SHOW SLAVE HOSTS); the server would drop one of the two dump connections. Give this connector its own database.server.id`,
    )
  }
}

/** Registered replicas, or none when the user may not list them (it needs a further grant). */
export async function listReplicas(
  session: Queryable,
  info: ServerInfo,
): Promise<{ serverId: number; host: string }[]> {
  try {
    const rows = await session.query(
      info.mariadb || info.versionNumber < 80022 ? 'SHOW SLAVE HOSTS' : 'SHOW REPLICAS',
    )
    return rows.map((row) => ({
      serverId: Number(row.Server_id ?? row.Server_Id ?? '0'),
      host: row.Host ?? '',
    }))
  } catch {
    // Listing replicas needs REPLICATION MASTER ADMIN on MariaDB, more than the connector
    // needs; the dump itself still reports a clash (error 4052).
    return []
  }
}

function errnoOf(error: unknown): number | null {
  const cause = error instanceof CdcError ? error.cause : error
  const errno = (cause as { errno?: unknown } | undefined)?.errno
  return typeof errno === 'number' ? errno : null
}

/** REPLICATION CLIENT (MariaDB: BINLOG MONITOR) to read binlog positions and files. */
export async function checkReplicationClient(
  session: Queryable,
  info: ServerInfo,
  user: string,
): Promise<void> {
  try {
    await session.query(binlogStatusStatement(info))
    await session.query('SHOW BINARY LOGS')
  } catch (error) {
    if (errnoOf(error) !== ErrorNumber.SPECIFIC_ACCESS_DENIED) throw error
    const grant = info.mariadb ? 'BINLOG MONITOR' : 'REPLICATION CLIENT'
    throw new CdcError(
      'CDC_MYSQL_PRIVILEGE',
      `user ${user} may not read the binlog position (${binlogStatusStatement(info)}): run GRANT ${grant} ON *.* TO ${user}`,
      { cause: error },
    )
  }
}

/** SELECT on every captured table, probed without reading rows. */
export async function checkSelectPrivilege(
  session: Queryable,
  tables: readonly { database: string; table: string }[],
  user: string,
): Promise<void> {
  const denied: string[] = []
  for (const { database, table } of tables) {
    try {
      await session.query(`SELECT 1 FROM ${qualifiedName(database, table)} LIMIT 0`)
    } catch (error) {
      if (errnoOf(error) !== ErrorNumber.TABLE_ACCESS_DENIED) throw error
      denied.push(`${database}.${table}`)
    }
  }
  if (denied.length === 0) return
  throw new CdcError(
    'CDC_MYSQL_PRIVILEGE',
    `user ${user} lacks SELECT on ${denied.join(', ')}: run GRANT SELECT ON <database>.* TO ${user} for their databases, or exclude the tables with table.exclude.list`,
  )
}

/**
 * A database named literally in database.include.list that the user cannot see: without
 * any privilege on it information_schema hides it, and nothing would be captured.
 */
export async function checkVisibleDatabases(
  session: Queryable,
  include: readonly RegExp[] | null,
  user: string,
): Promise<void> {
  if (include === null) return
  const literal = include
    .map((pattern) => /^\^\(\?:([A-Za-z0-9_$]+)\)\$$/.exec(pattern.source)?.[1])
    .filter((name): name is string => name !== undefined)
  if (literal.length === 0) return
  const rows = await session.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA')
  const visible = new Set(rows.map((row) => (row.name ?? '').toLowerCase()))
  const hidden = literal.filter((name) => !visible.has(name.toLowerCase()))
  if (hidden.length === 0) return
  throw new CdcError(
    'CDC_MYSQL_PRIVILEGE',
    `database ${hidden.join(', ')} in database.include.list does not exist or user ${user} has no privilege on it: run GRANT SELECT ON ${hidden[0] ?? ''}.* TO ${user}, or fix database.include.list`,
  )
}
