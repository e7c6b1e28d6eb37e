import { crc32 } from 'node:zlib'
import { CdcError } from '../../../common/errors.ts'
import { ByteReader } from './byte-reader.ts'
import type { EventHeader } from './events.ts'

/** Size of the v4 common header every event starts with. */
export const HEADER_LENGTH = 19
export const CHECKSUM_LENGTH = 4

/** Reads the v4 common header from the first 19 bytes of an event. */
export function readEventHeader(event: Buffer): EventHeader {
  const reader = new ByteReader(event)
  return {
    timestamp: reader.u32('the event timestamp'),
    type: reader.u8('the event type'),
    serverId: reader.u32('the server id'),
    eventSize: reader.u32('the event size'),
    logPos: reader.u32('the log position'),
    flags: reader.u16('the event flags'),
  }
}

const FORMAT_DESCRIPTION_EVENT = 15
const TYPE_OFFSET = 4
const FLAGS_OFFSET = 17
const BINLOG_IN_USE = 0x0001

/**
 * CRC32 (zlib polynomial) of an event without its trailer. The server sets BINLOG_IN_USE on
 * the FORMAT_DESCRIPTION of the file it is writing and clears it on close, so that event's
 * checksum is computed as if the flag were clear.
 */
function computeChecksum(event: Buffer): number {
  const covered = event.subarray(0, event.length - CHECKSUM_LENGTH)
  const inUse =
    event.readUInt8(TYPE_OFFSET) === FORMAT_DESCRIPTION_EVENT &&
    (event.readUInt16LE(FLAGS_OFFSET) & BINLOG_IN_USE) !== 0
  if (!inUse) return crc32(covered)
  const copy = Buffer.from(covered)
  copy.writeUInt16LE(copy.readUInt16LE(FLAGS_OFFSET) & ~BINLOG_IN_USE, FLAGS_OFFSET)
  return crc32(copy)
}

/** Whether the last 4 bytes are the CRC32 (little-endian) of the rest of the event. */
export function checksumMatches(event: Buffer): boolean {
  if (event.length < HEADER_LENGTH + CHECKSUM_LENGTH) return false
  return computeChecksum(event) === event.readUInt32LE(event.length - CHECKSUM_LENGTH)
}

/** Throws CDC_DECODE_CHECKSUM unless the event's CRC32 trailer matches. */
export function verifyChecksum(event: Buffer, label: string, where: string): void {
  if (checksumMatches(event)) return
  const end = event.length - CHECKSUM_LENGTH
  const stored = end >= 0 ? event.readUInt32LE(end).toString(16).padStart(8, '0') : 'missing'
  const computed = crc32(event.subarray(0, Math.max(end, 0)))
    .toString(16)
    .padStart(8, '0')
  throw new CdcError(
    'CDC_DECODE_CHECKSUM',
    `${label} at ${where} fails its CRC32 check (stored ${stored}, computed ${computed}): the event is corrupt; re-read it from the server or check the binlog file`,
    { details: { eventType: label, position: where } },
  )
}
