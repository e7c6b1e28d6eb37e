import { CdcError } from '../../../common/errors.ts'
import type { ByteReader } from './byte-reader.ts'
import type {
  EventBody,
  GtidInterval,
  MariadbGtidEvent,
  MariadbGtidListEvent,
  MysqlGtidEvent,
  PreviousGtidsEvent,
} from './events.ts'

function uuid(bytes: Buffer): string {
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Logical-clock marker before last_committed/sequence_number (`LOGICAL_TIMESTAMP_TYPECODE`). */
const LOGICAL_TIMESTAMP_TYPECODE = 2
const TOP_BIT_56 = 1n << 55n
const TOP_BIT_32 = 0x8000_0000

/**
 * MySQL GTID (33) / ANONYMOUS_GTID (34): commit flag, SID, GNO, then fields that later
 * versions appended, each present only when the body is long enough.
 */
export function decodeMysqlGtid(body: ByteReader, anonymous: boolean): EventBody<MysqlGtidEvent> {
  const gtidFlags = body.u8('the GTID flags')
  const sid = uuid(body.bytes(16, 'the GTID source id'))
  const gno = body.i64('the GTID number')
  const event: EventBody<MysqlGtidEvent> = {
    kind: 'mysqlGtid',
    anonymous,
    gtidFlags,
    sid,
    gno,
    gtid: anonymous ? null : `${sid}:${gno}`,
    lastCommitted: null,
    sequenceNumber: null,
    immediateCommitTimestamp: null,
    originalCommitTimestamp: null,
    transactionLength: null,
    immediateServerVersion: null,
    originalServerVersion: null,
    commitGroupTicket: null,
  }
  if (body.atEnd()) return event
  const marker = body.u8('the logical timestamp marker')
  if (marker !== LOGICAL_TIMESTAMP_TYPECODE) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `the GTID event has logical timestamp marker ${marker}, not 2`,
    )
  }
  event.lastCommitted = body.i64('last_committed')
  event.sequenceNumber = body.i64('sequence_number')
  if (body.atEnd()) return event
  const immediate = body.uintLEBig(7, 'immediate_commit_timestamp')
  event.immediateCommitTimestamp = immediate & ~TOP_BIT_56
  event.originalCommitTimestamp =
    (immediate & TOP_BIT_56) !== 0n
      ? body.uintLEBig(7, 'original_commit_timestamp')
      : event.immediateCommitTimestamp
  if (body.atEnd()) return event
  event.transactionLength = body.lenencBig('transaction_length')
  if (body.atEnd()) return event
  const serverVersion = body.u32('immediate_server_version')
  event.immediateServerVersion = serverVersion & ~TOP_BIT_32
  event.originalServerVersion =
    (serverVersion & TOP_BIT_32) !== 0
      ? body.u32('original_server_version')
      : event.immediateServerVersion
  if (body.atEnd()) return event
  event.commitGroupTicket = body.u64('commit_group_ticket')
  body.expectEnd('the GTID event')
  return event
}

/** PREVIOUS_GTIDS (35): SID count, then per SID its UUID and [start, end) intervals. */
export function decodePreviousGtids(body: ByteReader): EventBody<PreviousGtidsEvent> {
  const count = body.u64('the SID count')
  if (count > BigInt(body.remaining)) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `PREVIOUS_GTIDS claims ${count} SIDs in ${body.remaining} bytes; MySQL 8.3+ tagged GTID sets are not supported`,
    )
  }
  const sets: { sid: string; intervals: GtidInterval[] }[] = []
  for (let i = 0n; i < count; i++) {
    const sid = uuid(body.bytes(16, 'a SID'))
    const intervalCount = body.u64('an interval count')
    if (intervalCount * 16n > BigInt(body.remaining)) {
      throw new CdcError(
        'CDC_DECODE_TRUNCATED',
        `PREVIOUS_GTIDS claims ${intervalCount} intervals for ${sid} in ${body.remaining} bytes`,
      )
    }
    const intervals: GtidInterval[] = []
    for (let j = 0n; j < intervalCount; j++)
      intervals.push({ start: body.i64('an interval start'), end: body.i64('an interval end') })
    sets.push({ sid, intervals })
  }
  body.expectEnd('the PREVIOUS_GTIDS event')
  const gtidSet = sets
    .map(({ sid, intervals }) =>
      [
        sid,
        ...intervals.map(({ start, end }) =>
          end - 1n === start ? `${start}` : `${start}-${end - 1n}`,
        ),
      ].join(':'),
    )
    .join(',')
  return { kind: 'previousGtids', sets, gtidSet }
}

const MariadbGtidFlag = {
  STANDALONE: 0x01,
  GROUP_COMMIT_ID: 0x02,
  PREPARED_XA: 0x40,
  COMPLETED_XA: 0x80,
} as const

const MariadbGtidExtra = {
  MULTI_ENGINE: 0x01,
  COMMIT_ALTER: 0x04,
  ROLLBACK_ALTER: 0x08,
} as const

/**
 * MariaDB GTID (162): sequence, domain, flags, then the optional commit id and XA xid. The
 * body is zero-padded to at least 19 bytes, so a zero extra-flags byte may just be padding.
 */
export function decodeMariadbGtid(body: ByteReader, serverId: number): EventBody<MariadbGtidEvent> {
  const sequence = body.u64('the GTID sequence number')
  const domainId = body.u32('the GTID domain id')
  const gtidFlags = body.u8('the GTID flags')
  const commitId =
    (gtidFlags & MariadbGtidFlag.GROUP_COMMIT_ID) !== 0 ? body.u64('the commit id') : null
  let xid: MariadbGtidEvent['xid'] = null
  if ((gtidFlags & (MariadbGtidFlag.PREPARED_XA | MariadbGtidFlag.COMPLETED_XA)) !== 0) {
    const formatId = body.u32('the XA format id')
    const gtridLength = body.u8('the XA gtrid length')
    const bqualLength = body.u8('the XA bqual length')
    xid = {
      formatId,
      gtrid: body.bytes(gtridLength, 'the XA gtrid'),
      bqual: body.bytes(bqualLength, 'the XA bqual'),
    }
  }
  let flagsExtra = 0
  let extraEngines: number | null = null
  let startAlterSequence: bigint | null = null
  if (!body.atEnd()) {
    flagsExtra = body.u8('the extra GTID flags')
    if ((flagsExtra & MariadbGtidExtra.MULTI_ENGINE) !== 0)
      extraEngines = body.u8('the extra engine count')
    if ((flagsExtra & (MariadbGtidExtra.COMMIT_ALTER | MariadbGtidExtra.ROLLBACK_ALTER)) !== 0) {
      startAlterSequence = body.u64('the start-alter sequence number')
    }
  }
  expectZeroPadding(body, 'the MariaDB GTID event')
  return {
    kind: 'mariadbGtid',
    domainId,
    serverId,
    sequence,
    gtid: `${domainId}-${serverId}-${sequence}`,
    gtidFlags,
    standalone: (gtidFlags & MariadbGtidFlag.STANDALONE) !== 0,
    commitId,
    xid,
    flagsExtra,
    extraEngines,
    startAlterSequence,
  }
}

/**
 * MariaDB pads short events with zeros (every event must be able to turn into a dummy
 * QUERY of at least 6 body bytes for old replicas); anything else left over is an error.
 */
function expectZeroPadding(body: ByteReader, what: string): void {
  const padding = body.rest()
  if (padding.some((byte) => byte !== 0)) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `${what} ends in ${padding.length} bytes that are not zero padding`,
    )
  }
}

/** MariaDB GTID_LIST (163): count (low 28 bits) and flags, then (domain, server, sequence). */
export function decodeMariadbGtidList(body: ByteReader): EventBody<MariadbGtidListEvent> {
  const field = body.u32('the GTID list count')
  const count = field & 0x0fff_ffff
  const gtids: { domainId: number; serverId: number; sequence: bigint }[] = []
  for (let i = 0; i < count; i++) {
    gtids.push({
      domainId: body.u32('a domain id'),
      serverId: body.u32('a server id'),
      sequence: body.u64('a sequence number'),
    })
  }
  expectZeroPadding(body, 'the GTID_LIST event')
  return { kind: 'mariadbGtidList', listFlags: field >>> 28, gtids }
}
