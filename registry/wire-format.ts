import { CdcError } from '../common/errors.ts'

/**
 * Confluent's wire format for one record key or value: magic byte 0, the schema id as a
 * 4-byte big-endian signed int, then the Avro binary encoding (no container header).
 */
const magicByte = 0
const headerLength = 5

/** Prefixes an encoded payload with the magic byte and the schema id. */
export function frame(id: number, payload: Uint8Array): Buffer {
  if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) {
    throw new RangeError(`schema id ${id} is not a non-negative 32-bit integer`)
  }
  const out = Buffer.allocUnsafe(headerLength + payload.length)
  out.writeUInt8(magicByte, 0)
  out.writeInt32BE(id, 1)
  out.set(payload, headerLength)
  return out
}

export interface Unframed {
  id: number
  /** The Avro binary payload, a view into the input (no copy). */
  payload: Buffer
}

/** Splits a framed key or value into schema id and payload; throws CDC_REG_WIRE_FORMAT. */
export function unframe(bytes: Uint8Array): Unframed {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buffer.length < headerLength) {
    throw new CdcError(
      'CDC_REG_WIRE_FORMAT',
      `Not in the Confluent wire format: ${buffer.length} byte(s) (${hex(buffer)}), fewer than the 5 of magic byte and schema id. Check that the topic is written by a registry-aware Avro serializer.`,
      { details: { length: buffer.length } },
    )
  }
  const magic = buffer.readUInt8(0)
  if (magic !== magicByte) {
    throw new CdcError(
      'CDC_REG_WIRE_FORMAT',
      `Not in the Confluent wire format: magic byte ${magic}, expected 0 (first bytes ${hex(buffer)}). Check that the topic is written by a registry-aware Avro serializer, not plain JSON or Avro.`,
      { details: { magic } },
    )
  }
  return { id: buffer.readInt32BE(1), payload: buffer.subarray(headerLength) }
}

function hex(buffer: Buffer): string {
  const shown = buffer.subarray(0, 8).toString('hex')
  return buffer.length > 8 ? `${shown}…` : shown || 'empty'
}
