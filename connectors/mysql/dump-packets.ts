import { CdcError } from '../../common/errors.ts'
import type { MysqlGtidSet } from './gtid.ts'

/**
 * Payloads (without the 4-byte packet header) of the replication commands, as the server
 * reads them (`sql/rpl_source.cc` in MySQL, `sql/sql_repl.cc` in MariaDB).
 */

export const Command = {
  BINLOG_DUMP: 0x12,
  REGISTER_SLAVE: 0x15,
  BINLOG_DUMP_GTID: 0x1e,
} as const

export const DumpFlag = {
  /** Answer with EOF at the end of the binlog instead of waiting for more. */
  NON_BLOCK: 0x01,
  /** MariaDB: send ANNOTATE_ROWS events. (On MySQL 0x02 means something else: never send it there.) */
  MARIADB_SEND_ANNOTATE_ROWS: 0x02,
  /** MySQL COM_BINLOG_DUMP_GTID: the GTID set follows. */
  THROUGH_GTID: 0x04,
} as const

function u8(value: number): Buffer {
  return Buffer.from([value])
}

function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2)
  bytes.writeUInt16LE(value)
  return bytes
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4)
  bytes.writeUInt32LE(value)
  return bytes
}

function u64(value: bigint): Buffer {
  const bytes = Buffer.alloc(8)
  bytes.writeBigUInt64LE(value)
  return bytes
}

function shortString(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length > 255) {
    throw new CdcError('CDC_CONFIG_INVALID', `${what} is longer than 255 bytes`)
  }
  return Buffer.concat([u8(bytes.length), bytes])
}

export interface ReplicaRegistration {
  serverId: number
  /** Shown by SHOW SLAVE HOSTS; informational only. */
  hostname: string
  port: number
}

/** COM_REGISTER_SLAVE: makes the connection show up as a replica (SHOW SLAVE HOSTS). */
export function registerReplicaPacket(registration: ReplicaRegistration): Buffer {
  return Buffer.concat([
    u8(Command.REGISTER_SLAVE),
    u32(registration.serverId),
    shortString(registration.hostname, 'the replica host name'),
    shortString('', 'the replica user'),
    shortString('', 'the replica password'),
    u16(registration.port),
    u32(0), // replication rank, unused by the servers
    u32(0), // master id: the server fills in its own
  ])
}

export interface FileDump {
  file: string
  position: number
  serverId: number
  flags: number
}

/** COM_BINLOG_DUMP: stream from a file and (32-bit) position. */
export function binlogDumpPacket(dump: FileDump): Buffer {
  if (!Number.isInteger(dump.position) || dump.position < 0 || dump.position > 0xffff_ffff) {
    throw new CdcError(
      'CDC_MYSQL_POSITION_UNAVAILABLE',
      `binlog position ${dump.position} cannot be sent in COM_BINLOG_DUMP (32 bits); on MySQL enable GTIDs (gtid_mode=ON) so the connector resumes by GTID`,
    )
  }
  return Buffer.concat([
    u8(Command.BINLOG_DUMP),
    u32(dump.position),
    u16(dump.flags),
    u32(dump.serverId),
    Buffer.from(dump.file, 'utf8'),
  ])
}

/** The binary form of a GTID set: sid count, then per sid its uuid and [start, end) intervals. */
export function encodeGtidSet(set: MysqlGtidSet): Buffer {
  const entries = set.entries()
  const parts: Buffer[] = [u64(BigInt(entries.length))]
  for (const { sid, intervals } of entries) {
    parts.push(Buffer.from(sid.replaceAll('-', ''), 'hex'), u64(BigInt(intervals.length)))
    for (const interval of intervals) parts.push(u64(interval.start), u64(interval.end))
  }
  return Buffer.concat(parts)
}

export interface GtidDump {
  /** The executed set: the server sends every transaction not in it. */
  gtids: MysqlGtidSet
  serverId: number
  flags: number
  /** Where to start looking; MySQL ignores them once it has the set, so '' and 4. */
  file?: string
  position?: bigint
}

/** COM_BINLOG_DUMP_GTID (MySQL only; MariaDB uses @slave_connect_state with COM_BINLOG_DUMP). */
export function binlogDumpGtidPacket(dump: GtidDump): Buffer {
  const file = Buffer.from(dump.file ?? '', 'utf8')
  const data = encodeGtidSet(dump.gtids)
  return Buffer.concat([
    u8(Command.BINLOG_DUMP_GTID),
    u16(dump.flags | DumpFlag.THROUGH_GTID),
    u32(dump.serverId),
    u32(file.length),
    file,
    u64(dump.position ?? 4n),
    u32(data.length),
    data,
  ])
}
