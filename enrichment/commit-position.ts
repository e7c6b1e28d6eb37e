import { CdcError } from '../common/errors.ts'
import type { ConnectValue, StructValue } from '../envelope/connect-schema.ts'
import { describeValue } from '../envelope/validate-value.ts'

/**
 * pos(e) of the join: where a change sits in its database's commit order. Only positions of
 * one kind compare; the join throws rather than guess when a stream and a table come from
 * different databases.
 *
 * - `postgres`: Debezium's `source.sequence` [last commit LSN, change LSN]. The first element
 *   is the same for every change of a transaction and grows across transactions, so the pair
 *   is a total order in commit order; bare `source.lsn` is not (concurrent transactions
 *   interleave their change LSNs).
 * - `binlog`: (file number, pos, row); the binlog is written in commit order.
 * - `gtid:<server uuid or MariaDB domain>`: the GTID's sequence number, when there is no file.
 * - `kafka`: (source.ts_ms, Kafka offset), for other connectors. Milliseconds tie across
 *   transactions, so this fallback is only as good as the database clock.
 */
export interface CommitPosition {
  readonly kind: string
  readonly parts: readonly bigint[]
  /** Transaction identity: changes with the same non-null txn see each other. */
  readonly txn: string | null
}

export function comparePositions(a: CommitPosition, b: CommitPosition): number {
  if (a.kind !== b.kind || a.parts.length !== b.parts.length) {
    throw new CdcError(
      'CDC_ENRICH_POSITION_MISMATCH',
      `commit positions ${positionText(a)} and ${positionText(b)} cannot be compared: the ` +
        'stream and table topics must be captured from the same database by the same kind ' +
        'of connector (PostgreSQL with source.sequence, or MySQL/MariaDB binlog positions)',
      { details: { a: positionText(a), b: positionText(b) } },
    )
  }
  for (let index = 0; index < a.parts.length; index++) {
    const left = a.parts[index] ?? 0n
    const right = b.parts[index] ?? 0n
    if (left !== right) return left < right ? -1 : 1
  }
  return 0
}

export function sameTransaction(a: CommitPosition, b: CommitPosition): boolean {
  return a.txn !== null && a.txn === b.txn
}

/** A table version at `version` is part of the database state as of `event` (rule 3). */
export function isVisibleTo(version: CommitPosition, event: CommitPosition): boolean {
  return comparePositions(version, event) <= 0 || sameTransaction(version, event)
}

/**
 * A table partition whose newest applied change is at `applied` can deliver nothing more
 * that is visible to `event`: it has moved past the event's whole transaction.
 */
export function coversPosition(applied: CommitPosition, event: CommitPosition): boolean {
  return comparePositions(applied, event) >= 0 && !sameTransaction(applied, event)
}

export function maxPosition(a: CommitPosition | null, b: CommitPosition): CommitPosition {
  return a === null || comparePositions(a, b) < 0 ? b : a
}

/** `postgres/24023128.24023200`: readable and exact, for output records and messages. */
export function positionText(position: CommitPosition): string {
  return `${position.kind}/${position.parts.join('.')}`
}

const snapshotMarkers = new Set([
  'true',
  'first',
  'first_in_data_collection',
  'last',
  'last_in_data_collection',
])

/**
 * pos(e) from an event's `source` block; `offset` is the record's Kafka offset, used only
 * by the fallback. Throws CDC_ENRICH_INPUT_INVALID when a field that is present cannot be read.
 */
export function positionOf(source: StructValue, offset: bigint, where: string): CommitPosition {
  const connector = source.connector
  if (connector === 'postgresql') {
    const position = postgresPosition(source, where)
    if (position !== null) return position
  }
  if (connector === 'mysql' || connector === 'mariadb') {
    const position = binlogPosition(source, where)
    if (position !== null) return position
  }
  const tsMs = integer(source.ts_ms, 'source.ts_ms', where)
  if (tsMs === null) throw invalid(where, 'source.ts_ms is missing, so the change has no position')
  return { kind: 'kafka', parts: [tsMs, offset], txn: null }
}

function postgresPosition(source: StructValue, where: string): CommitPosition | null {
  const lsn = integer(source.lsn, 'source.lsn', where)
  const txId = integer(source.txId, 'source.txId', where)
  const [lastCommit, changeLsn] = sequenceOf(source.sequence, where)
  const change = changeLsn ?? lsn
  if (change === null) return null
  if (lastCommit !== null)
    return { kind: 'postgres', parts: [lastCommit, change], txn: `c${lastCommit}` }
  // Snapshot reads and the first transaction after a restart have no last commit; they sort
  // before every later transaction and see each other through the transaction id.
  return { kind: 'postgres', parts: [change, 0n], txn: txId === null ? null : `x${txId}` }
}

function sequenceOf(
  value: ConnectValue | undefined,
  where: string,
): [bigint | null, bigint | null] {
  if (value === null || value === undefined) return [null, null]
  let parsed: unknown
  try {
    parsed = typeof value === 'string' ? JSON.parse(value) : undefined
  } catch {
    parsed = undefined
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) {
    throw invalid(where, `source.sequence ${JSON.stringify(value)} is not a JSON array of two LSNs`)
  }
  return [lsnText(parsed[0], where), lsnText(parsed[1], where)]
}

function lsnText(value: unknown, where: string): bigint | null {
  if (value === null) return null
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value)
  throw invalid(where, `source.sequence holds ${JSON.stringify(value)}, not a decimal LSN or null`)
}

function binlogPosition(source: StructValue, where: string): CommitPosition | null {
  const gtid = typeof source.gtid === 'string' && source.gtid !== '' ? source.gtid : null
  const file = typeof source.file === 'string' && source.file !== '' ? source.file : null
  if (file !== null) {
    const suffix = /\.(\d+)$/.exec(file)
    if (suffix === null)
      throw invalid(where, `binlog file name ${JSON.stringify(file)} has no numeric suffix`)
    const pos = integer(source.pos, 'source.pos', where) ?? 0n
    const row = integer(source.row, 'source.row', where) ?? 0n
    const parts = [BigInt(suffix[1] ?? '0'), pos, row]
    const snapshot = typeof source.snapshot === 'string' && snapshotMarkers.has(source.snapshot)
    // All snapshot rows share one binlog position: they form one "transaction".
    const txn = gtid ?? (snapshot ? `s${parts[0]}.${pos}` : null)
    return { kind: 'binlog', parts, txn }
  }
  if (gtid === null) return null
  const mysql = /^([0-9a-fA-F-]{36}):(\d+)$/.exec(gtid)
  if (mysql !== null)
    return {
      kind: `gtid:${mysql[1]?.toLowerCase() ?? ''}`,
      parts: [BigInt(mysql[2] ?? '0')],
      txn: gtid,
    }
  const mariadb = /^(\d+)-(\d+)-(\d+)$/.exec(gtid)
  if (mariadb !== null)
    return { kind: `gtid:${mariadb[1] ?? ''}`, parts: [BigInt(mariadb[3] ?? '0')], txn: gtid }
  throw invalid(where, `source.gtid ${JSON.stringify(gtid)} is neither a MySQL nor a MariaDB GTID`)
}

function integer(value: ConnectValue | undefined, field: string, where: string): bigint | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value)
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value)
  throw invalid(where, `${field} is ${describeValue(value)}, not an integer`)
}

function invalid(where: string, reason: string): CdcError {
  return new CdcError(
    'CDC_ENRICH_INPUT_INVALID',
    `${where}: ${reason}. Check that the topic is written by a Debezium-compatible connector`,
    { details: { record: where } },
  )
}
