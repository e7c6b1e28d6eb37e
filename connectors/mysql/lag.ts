import type { SourceLag } from '../plugin.ts'
import type { Position } from '../ports.ts'
import type { MysqlConfig } from './config.ts'
import { MysqlSession } from './connection.ts'
import { bytesBetween, decodePosition, isRetained } from './position.ts'
import { readBinaryLogs, readBinlogStatus, readServerInfo } from './server-info.ts'

/**
 * How far the stored position trails the server: bytes of binlog between them, the files
 * the server still keeps (and whether ours is among them), and the time since the last
 * committed transaction's commit (0 when the position is the server's current one).
 * The running task reports its own lag through ConnectorMonitor.behindSource.
 */
export async function mysqlLag(config: MysqlConfig, position: Position | null): Promise<SourceLag> {
  const stored = position === null ? null : decodePosition(position)
  const session = await MysqlSession.open(config.connection, 'the lag query')
  try {
    const info = await readServerInfo(session)
    const status = await readBinlogStatus(session, info)
    const files = await readBinaryLogs(session)
    const behindBytes = stored === null ? null : bytesBetween(stored, status, files)
    const caughtUp = behindBytes === 0
    return {
      server_file: status.file,
      server_pos: status.pos,
      server_gtids: info.mariadb
        ? (info.variables.get('gtid_binlog_pos') ?? null)
        : status.executedGtids,
      position_file: stored?.file ?? null,
      position_pos: stored?.pos ?? null,
      position_gtids: stored?.gtids ?? null,
      position_retained: stored === null ? null : isRetained(stored.file, files),
      behind_bytes: behindBytes,
      ms_behind_source:
        stored === null
          ? null
          : caughtUp
            ? 0
            : stored.tsMs === null
              ? null
              : Math.max(0, Date.now() - stored.tsMs),
      last_commit_ts_ms: stored?.tsMs ?? null,
      retained_binlog_files: files.length,
      retained_binlog_bytes: files.reduce((sum, file) => sum + file.size, 0),
      oldest_binlog_file: files[0]?.name ?? null,
    }
  } finally {
    await session.close()
  }
}
