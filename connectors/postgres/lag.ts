import type { SourceLag } from '../plugin.ts'
import type { Position } from '../ports.ts'
import type { PostgresConfig } from './config.ts'
import { connectClient } from './connection.ts'
import { formatLsn } from './lsn.ts'
import { decodePosition } from './position.ts'

interface LagRow {
  slot_exists: string
  current_lsn: string
  restart_lsn: string | null
  confirmed_flush_lsn: string | null
  wal_status: string | null
  safe_wal_size: string | null
  active: string
  retained_wal_bytes: string | null
  confirmed_flush_lag_bytes: string | null
  position_lag_bytes: string | null
}

const number = (text: string | null): number | null => (text === null ? null : Number(text))

/**
 * The slot as the server sees it: WAL retained for it (current WAL - restart_lsn), how far
 * its confirmed position trails, its wal_status and safe_wal_size (max_slot_wal_keep_size),
 * whether a walsender holds it, and how far the stored position trails the server.
 * Milliseconds behind the source come from the running task (ConnectorMonitor.behindSource).
 */
export async function postgresLag(
  config: PostgresConfig,
  position: Position | null,
): Promise<SourceLag> {
  const stored = position === null ? null : decodePosition(position)
  const admin = await connectClient(config.connection, { applicationName: 'cdc-lag' })
  try {
    const { rows } = await admin.query<LagRow>(
      `select (s.slot_name is not null)::text as slot_exists, pg_current_wal_lsn()::text as current_lsn, s.restart_lsn::text, s.confirmed_flush_lsn::text, s.wal_status,
              s.safe_wal_size::text, s.active::text,
              pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn)::text as retained_wal_bytes,
              pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::text as confirmed_flush_lag_bytes,
              pg_wal_lsn_diff(pg_current_wal_lsn(), $2::pg_lsn)::text as position_lag_bytes
         from (select 1) one left join pg_replication_slots s on s.slot_name = $1`,
      [config.slotName, stored === null ? null : formatLsn(stored.lsn)],
    )
    const row = rows[0]
    return {
      slot_name: config.slotName,
      slot_exists: row?.slot_exists === 'true',
      active: row?.active === 'true',
      wal_status: row?.wal_status ?? null,
      safe_wal_size: number(row?.safe_wal_size ?? null),
      current_lsn: row?.current_lsn ?? null,
      restart_lsn: row?.restart_lsn ?? null,
      confirmed_flush_lsn: row?.confirmed_flush_lsn ?? null,
      retained_wal_bytes: number(row?.retained_wal_bytes ?? null),
      confirmed_flush_lag_bytes: number(row?.confirmed_flush_lag_bytes ?? null),
      position_lsn: stored === null ? null : formatLsn(stored.lsn),
      position_lag_bytes: number(row?.position_lag_bytes ?? null),
      last_commit_ts_ms: stored?.tsUsec == null ? null : Math.trunc(stored.tsUsec / 1000),
    }
  } finally {
    await admin.end().catch(() => undefined)
  }
}
