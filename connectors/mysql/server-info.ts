import { CdcError } from '../../common/errors.ts'
import type { Queryable } from './connection.ts'
import type { BinlogCoordinates } from './position.ts'

/** The server facts that setup checks, the snapshot and the dump depend on. */
export interface ServerInfo {
  version: string
  mariadb: boolean
  /** major * 10000 + minor * 100 + patch, e.g. 101119 for 10.11.19. */
  versionNumber: number
  serverId: number
  /** Global variables by lower-case name; absent when the server does not have them. */
  variables: ReadonlyMap<string, string>
}

const variableNames = [
  'server_id',
  'log_bin',
  'binlog_format',
  'binlog_row_image',
  'binlog_row_metadata',
  'binlog_row_value_options',
  'binlog_legacy_event_pos',
  'binlog_checksum',
  'gtid_mode',
  'gtid_strict_mode',
  'gtid_binlog_pos',
]

export function parseVersion(version: string): number {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version)
  if (match === null) return 0
  return Number(match[1]) * 10000 + Number(match[2]) * 100 + Number(match[3])
}

export async function readServerInfo(session: Queryable): Promise<ServerInfo> {
  const [versionRow] = await session.query('SELECT VERSION() AS version')
  const version = versionRow?.version ?? ''
  // SHOW VARIABLES lists only the variables the server has, where @@name would fail.
  const rows = await session.query(
    `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${variableNames.map(() => '?').join(', ')})`,
    variableNames,
  )
  const variables = new Map<string, string>()
  for (const row of rows) {
    const name = row.Variable_name
    if (name != null) variables.set(name.toLowerCase(), row.Value ?? '')
  }
  return {
    version,
    mariadb: /mariadb/i.test(version),
    versionNumber: parseVersion(version),
    serverId: Number(variables.get('server_id') ?? '0'),
    variables,
  }
}

/** The statement that shows the current binlog position: MySQL 8.4 renamed it. */
export function binlogStatusStatement(info: ServerInfo): string {
  return !info.mariadb && info.versionNumber >= 80400
    ? 'SHOW BINARY LOG STATUS'
    : 'SHOW MASTER STATUS'
}

export interface BinlogStatus extends BinlogCoordinates {
  /** MySQL's Executed_Gtid_Set; '' on MariaDB (its GTID position comes from BINLOG_GTID_POS). */
  executedGtids: string
}

/** The server's current binlog position; needs REPLICATION CLIENT (MariaDB: BINLOG MONITOR). */
export async function readBinlogStatus(
  session: Queryable,
  info: ServerInfo,
): Promise<BinlogStatus> {
  const [row] = await session.query(binlogStatusStatement(info))
  if (row?.File == null || row.Position == null) {
    throw new CdcError(
      'CDC_MYSQL_BINLOG_CONFIG',
      `${binlogStatusStatement(info)} returned no binlog position: binary logging is off; set log_bin in the server configuration and restart the server`,
    )
  }
  return {
    file: row.File,
    pos: Number(row.Position),
    executedGtids: (row.Executed_Gtid_Set ?? '').replace(/\s+/g, ''),
  }
}

/** The binlog files the server keeps, oldest first (SHOW BINARY LOGS). */
export async function readBinaryLogs(
  session: Queryable,
): Promise<{ name: string; size: number }[]> {
  const rows = await session.query('SHOW BINARY LOGS')
  return rows.map((row) => ({ name: row.Log_name ?? '', size: Number(row.File_size ?? '0') }))
}

/** MariaDB's GTID position at a binlog coordinate ('' when the server has no GTIDs there). */
export async function mariadbGtidPositionAt(
  session: Queryable,
  at: BinlogCoordinates,
): Promise<string> {
  const [row] = await session.query('SELECT BINLOG_GTID_POS(?, ?) AS gtids', [at.file, at.pos])
  return row?.gtids ?? ''
}
