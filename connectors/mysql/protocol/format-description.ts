import { CdcError } from '../../../common/errors.ts'
import type { ByteReader } from './byte-reader.ts'
import type { ChecksumAlgorithm, EventBody, FormatDescriptionEvent } from './events.ts'

const SERVER_VERSION_LENGTH = 50

/** Checksum algorithm byte values (`enum_binlog_checksum_alg`). */
const Algorithm = { OFF: 0, CRC32: 1, UNDEF: 255 } as const

function versionAtLeast(version: string, major: number, minor: number, patch: number): boolean {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version)
  if (match === null) return false
  const parts = [Number(match[1]), Number(match[2]), Number(match[3])]
  const wanted = [major, minor, patch]
  for (let i = 0; i < 3; i++) {
    const have = parts[i] ?? 0
    const want = wanted[i] ?? 0
    if (have !== want) return have > want
  }
  return true
}

/**
 * Servers from MySQL 5.6.1 and MariaDB 5.3 end every FORMAT_DESCRIPTION with a checksum
 * algorithm byte and 4 checksum bytes, even when the algorithm is OFF.
 */
function hasChecksumTrailer(version: string, mariadb: boolean): boolean {
  return mariadb ? versionAtLeast(version, 5, 3, 0) : versionAtLeast(version, 5, 6, 1)
}

export interface DecodedFormatDescription {
  body: EventBody<FormatDescriptionEvent>
  /** Bytes at the end of this very event that are its checksum (4 for CRC32, else 0). */
  checksumLength: number
}

/**
 * FORMAT_DESCRIPTION (15): binlog version, server version, creation time, common header
 * length and one post-header length per event type; then the checksum algorithm of the
 * following events. It describes how to read everything after it in the file.
 */
export function decodeFormatDescription(body: ByteReader): DecodedFormatDescription {
  const binlogVersion = body.u16('the binlog version')
  if (binlogVersion !== 4) {
    throw new CdcError(
      'CDC_DECODE_UNSUPPORTED',
      `binlog format version ${binlogVersion} is not supported; only version 4 (MySQL 5.0+) is`,
    )
  }
  const versionBytes = body.bytes(SERVER_VERSION_LENGTH, 'the server version')
  const nul = versionBytes.indexOf(0)
  const serverVersion = versionBytes
    .subarray(0, nul < 0 ? versionBytes.length : nul)
    .toString('latin1')
  const mariadb = serverVersion.includes('MariaDB')
  const createTimestamp = body.u32('the creation time')
  const headerLength = body.u8('the common header length')
  if (headerLength < 19) {
    throw new CdcError('CDC_DECODE_INVALID', `the common header length ${headerLength} is below 19`)
  }
  let checksum: ChecksumAlgorithm | null = null
  let checksumLength = 0
  let tableLength = body.remaining
  if (hasChecksumTrailer(serverVersion, mariadb)) {
    tableLength -= 5
    if (tableLength < 0) {
      throw new CdcError(
        'CDC_DECODE_TRUNCATED',
        'the FORMAT_DESCRIPTION event ends before its checksum algorithm',
      )
    }
  }
  const table = body.bytes(tableLength, 'the post-header lengths')
  if (!body.atEnd()) {
    const algorithm = body.u8('the checksum algorithm')
    if (algorithm === Algorithm.CRC32) {
      checksum = 'crc32'
      checksumLength = 4
    } else if (algorithm === Algorithm.OFF || algorithm === Algorithm.UNDEF) {
      checksum = 'none'
    } else {
      throw new CdcError(
        'CDC_DECODE_UNSUPPORTED',
        `checksum algorithm ${algorithm} is not supported; set binlog_checksum to CRC32 or NONE`,
      )
    }
  }
  return {
    body: {
      kind: 'formatDescription',
      binlogVersion,
      serverVersion,
      mariadb,
      createTimestamp,
      headerLength,
      postHeaderLengths: [...table],
      checksum,
    },
    checksumLength,
  }
}
