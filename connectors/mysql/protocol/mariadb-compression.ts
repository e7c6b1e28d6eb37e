import { inflateRawSync, inflateSync } from 'node:zlib'
import { CdcError } from '../../../common/errors.ts'

/**
 * Inflates a MariaDB `log_bin_compress` block (QUERY_COMPRESSED's statement, the row data of
 * *_ROWS_COMPRESSED_*): a header byte (0x80 | algorithm << 4 | size of the length), the
 * uncompressed length big-endian in that many bytes, then a zlib stream.
 */
export function inflateMariadbBlock(block: Buffer): Buffer {
  if (block.length < 1)
    throw new CdcError('CDC_DECODE_TRUNCATED', 'a compressed block has no header byte')
  const header = block.readUInt8(0)
  const lengthBytes = header & 0x07
  const algorithm = (header >> 4) & 0x07
  if ((header & 0x80) === 0 || algorithm !== 0 || lengthBytes < 1 || lengthBytes > 4) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `a compressed block starts with 0x${header.toString(16)}, which is not zlib with a 1–4 byte length`,
    )
  }
  if (block.length < 1 + lengthBytes) {
    throw new CdcError('CDC_DECODE_TRUNCATED', 'a compressed block ends inside its length')
  }
  const length = block.readUIntBE(1, lengthBytes)
  let inflated: Buffer
  try {
    inflated = inflateSync(block.subarray(1 + lengthBytes))
  } catch (error) {
    throw new CdcError('CDC_DECODE_INVALID', 'a compressed block is not a valid zlib stream', {
      cause: error,
    })
  }
  if (inflated.length !== length) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `a compressed block inflated to ${inflated.length} bytes but its header says ${length}`,
    )
  }
  return inflated
}

/**
 * Inflates the value of a MariaDB `COMPRESSED` column as the binlog carries it: empty stays
 * empty; header 0x00 means stored as is; otherwise 0x80 | (0x08 for a raw deflate stream
 * without zlib wrapper) | size of the length, the original length big-endian, the stream
 * (MariaDB sql/field_comp.cc; the only method is zlib).
 */
export function inflateMariadbColumn(stored: Buffer): Buffer {
  if (stored.length === 0) return stored
  const header = stored.readUInt8(0)
  if (header === 0) return stored.subarray(1)
  const lengthBytes = header & 0x07
  if (
    (header & 0xf0) !== 0x80 ||
    lengthBytes < 1 ||
    lengthBytes > 4 ||
    stored.length < 1 + lengthBytes
  ) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `a compressed column value starts with 0x${header.toString(16)}, which is not a MariaDB zlib header`,
    )
  }
  const length = stored.readUIntBE(1, lengthBytes)
  const stream = stored.subarray(1 + lengthBytes)
  let inflated: Buffer
  try {
    inflated = (header & 0x08) !== 0 ? inflateRawSync(stream) : inflateSync(stream)
  } catch (error) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      'a compressed column value is not a valid deflate stream',
      {
        cause: error,
      },
    )
  }
  if (inflated.length !== length) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `a compressed column value inflated to ${inflated.length} bytes but its header says ${length}`,
    )
  }
  return inflated
}
