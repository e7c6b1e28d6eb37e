import { CdcError } from '../../../common/errors.ts'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Big-endian reads over one message; running past the end is CDC_DECODE_TRUNCATED. */
export class ByteReader {
  readonly #bytes: Uint8Array
  readonly #view: DataView
  #offset = 0
  readonly #what: string

  constructor(bytes: Uint8Array, what: string) {
    this.#bytes = bytes
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.#what = what
  }

  get remaining(): number {
    return this.#bytes.length - this.#offset
  }

  #take(length: number): number {
    if (length < 0 || this.#offset + length > this.#bytes.length) {
      throw new CdcError(
        'CDC_DECODE_TRUNCATED',
        `pgoutput ${this.#what} message ended after ${this.#bytes.length} bytes while reading ${length} more at offset ${this.#offset}`,
      )
    }
    const start = this.#offset
    this.#offset += length
    return start
  }

  uint8(): number {
    return this.#view.getUint8(this.#take(1))
  }

  int16(): number {
    return this.#view.getInt16(this.#take(2))
  }

  int32(): number {
    return this.#view.getInt32(this.#take(4))
  }

  uint32(): number {
    return this.#view.getUint32(this.#take(4))
  }

  uint64(): bigint {
    return this.#view.getBigUint64(this.#take(8))
  }

  int64(): bigint {
    return this.#view.getBigInt64(this.#take(8))
  }

  bytes(length: number): Uint8Array {
    const start = this.#take(length)
    // A copy: the replication buffer is reused by the driver once this message is handled.
    return this.#bytes.slice(start, start + length)
  }

  text(length: number): string {
    const start = this.#take(length)
    return this.#decode(this.#bytes.subarray(start, start + length))
  }

  /** A NUL-terminated string. */
  cstring(): string {
    const end = this.#bytes.indexOf(0, this.#offset)
    if (end < 0) {
      throw new CdcError(
        'CDC_DECODE_TRUNCATED',
        `pgoutput ${this.#what} message has a string without its terminating NUL at offset ${this.#offset}`,
      )
    }
    const start = this.#take(end - this.#offset + 1)
    return this.#decode(this.#bytes.subarray(start, end))
  }

  #decode(bytes: Uint8Array): string {
    try {
      return utf8.decode(bytes)
    } catch (cause) {
      throw new CdcError(
        'CDC_DECODE_INVALID',
        `pgoutput ${this.#what} message has text that is not UTF-8`,
        { cause },
      )
    }
  }
}
