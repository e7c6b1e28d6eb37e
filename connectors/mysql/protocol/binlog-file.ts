import { CdcError } from '../../../common/errors.ts'
import { BinlogDecoder } from './binlog-decoder.ts'
import type { BinlogDecoderOptions } from './binlog-decoder.ts'
import { HEADER_LENGTH } from './event-header.ts'
import type { BinlogEvent } from './events.ts'

/** Every binlog file starts with these 4 bytes: 0xfe 'b' 'i' 'n'. */
export const BINLOG_MAGIC = Buffer.from([0xfe, 0x62, 0x69, 0x6e])

export interface RawBinlogEvent {
  /** Offset of the event in the file. */
  position: number
  bytes: Buffer
}

/** Splits a binlog file into its events by their declared sizes, without decoding them. */
export function* splitBinlogFile(data: Buffer, file = ''): Generator<RawBinlogEvent> {
  if (
    data.length < BINLOG_MAGIC.length ||
    !data.subarray(0, BINLOG_MAGIC.length).equals(BINLOG_MAGIC)
  ) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `${file || 'the data'} does not start with the binlog magic \\xfebin; it is not a binlog file`,
    )
  }
  let position = BINLOG_MAGIC.length
  while (position < data.length) {
    if (data.length - position < HEADER_LENGTH) {
      throw new CdcError(
        'CDC_DECODE_TRUNCATED',
        `${file}:${position}: the file ends ${data.length - position} bytes into an event header`,
      )
    }
    const size = data.readUInt32LE(position + 9)
    if (size < HEADER_LENGTH) {
      throw new CdcError(
        'CDC_DECODE_INVALID',
        `${file}:${position}: an event declares ${size} bytes, less than its header`,
      )
    }
    if (position + size > data.length) {
      throw new CdcError(
        'CDC_DECODE_TRUNCATED',
        `${file}:${position}: an event of ${size} bytes runs past the end of the file (${data.length} bytes); the file was cut short or is still being written`,
      )
    }
    yield { position, bytes: data.subarray(position, position + size) }
    position += size
  }
}

/** Decodes every event of a binlog file's bytes, positions being offsets in the file. */
export function* readBinlogFile(
  data: Buffer,
  options: BinlogDecoderOptions = {},
): Generator<BinlogEvent> {
  const decoder = new BinlogDecoder(options)
  for (const { position, bytes } of splitBinlogFile(data, options.file))
    yield decoder.decode(bytes, position)
}
