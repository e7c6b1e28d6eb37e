import { zstdDecompressSync } from 'node:zlib'
import { CdcError } from '../../../common/errors.ts'
import type { ByteReader } from './byte-reader.ts'

const Field = { END: 0, PAYLOAD_SIZE: 1, COMPRESSION_TYPE: 2, UNCOMPRESSED_SIZE: 3 } as const
const Compression = { ZSTD: 0, NONE: 255 } as const

export interface TransactionPayload {
  compression: 'zstd' | 'none'
  compressedSize: number
  uncompressedSize: number
  /** The inner events back to back: whole events with log_pos 0 and no checksums. */
  events: Buffer
}

/**
 * TRANSACTION_PAYLOAD (40, MySQL 8.0.20+ binlog_transaction_compression): header fields
 * as TLVs of length-encoded integers (type, length, value) up to type 0, then the
 * compressed events of one whole transaction.
 */
export function readTransactionPayload(body: ByteReader): TransactionPayload {
  let compressedSize: number | null = null
  let compressionType: number | null = null
  let uncompressedSize: number | null = null
  for (;;) {
    const type = body.lenenc('a payload header field type')
    if (type === Field.END) break
    const value = body.sub(body.lenenc('a payload header field length'), 'a payload header field')
    if (type === Field.PAYLOAD_SIZE) compressedSize = value.lenenc('the payload size')
    else if (type === Field.COMPRESSION_TYPE) compressionType = value.lenenc('the compression type')
    else if (type === Field.UNCOMPRESSED_SIZE)
      uncompressedSize = value.lenenc('the uncompressed size')
    else
      throw new CdcError(
        'CDC_DECODE_INVALID',
        `TRANSACTION_PAYLOAD has a header field of unknown type ${type}`,
      )
    value.expectEnd(`payload header field ${type}`)
  }
  if (compressedSize === null || compressionType === null) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      'TRANSACTION_PAYLOAD lacks its size or compression type',
    )
  }
  const payload = body.bytes(compressedSize, 'the compressed payload')
  body.expectEnd('the TRANSACTION_PAYLOAD event')
  if (compressionType === Compression.NONE) {
    return {
      compression: 'none',
      compressedSize,
      uncompressedSize: payload.length,
      events: payload,
    }
  }
  if (compressionType !== Compression.ZSTD) {
    throw new CdcError(
      'CDC_DECODE_UNSUPPORTED',
      `TRANSACTION_PAYLOAD compression type ${compressionType} is not supported (only zstd)`,
    )
  }
  let events: Buffer
  try {
    events = zstdDecompressSync(payload)
  } catch (error) {
    throw new CdcError('CDC_DECODE_INVALID', 'the TRANSACTION_PAYLOAD is not a valid zstd stream', {
      cause: error,
    })
  }
  if (uncompressedSize !== null && events.length !== uncompressedSize) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `the TRANSACTION_PAYLOAD inflated to ${events.length} bytes but its header says ${uncompressedSize}`,
    )
  }
  return { compression: 'zstd', compressedSize, uncompressedSize: events.length, events }
}
