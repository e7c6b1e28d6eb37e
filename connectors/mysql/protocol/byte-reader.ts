import { CdcError } from '../../../common/errors.ts'

/**
 * A bounds-checked cursor over a slice of a Buffer. Every read that would run past the end
 * throws CDC_DECODE_TRUNCATED instead of returning garbage or a RangeError, so a short or
 * misparsed event always surfaces as a decode error. Slices share memory with the input.
 */
export class ByteReader {
  readonly #buf: Buffer
  readonly #start: number
  readonly #end: number
  #pos: number

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.#buf = buf
    this.#start = start
    this.#end = end
    this.#pos = start
  }

  /** Offset from the start of this reader's slice. */
  get offset(): number {
    return this.#pos - this.#start
  }

  get remaining(): number {
    return this.#end - this.#pos
  }

  /** A method, not a getter, so that type narrowing does not assume it stays the same. */
  atEnd(): boolean {
    return this.#pos >= this.#end
  }

  #take(count: number, what: string): number {
    if (count < 0 || this.#pos + count > this.#end) {
      throw new CdcError(
        'CDC_DECODE_TRUNCATED',
        `${what} needs ${count} bytes at offset ${this.offset} but only ${this.remaining} remain`,
      )
    }
    const at = this.#pos
    this.#pos += count
    return at
  }

  u8(what = 'a 1-byte integer'): number {
    return this.#buf.readUInt8(this.#take(1, what))
  }

  i8(what = 'a 1-byte integer'): number {
    return this.#buf.readInt8(this.#take(1, what))
  }

  u16(what = 'a 2-byte integer'): number {
    return this.#buf.readUInt16LE(this.#take(2, what))
  }

  i16(what = 'a 2-byte integer'): number {
    return this.#buf.readInt16LE(this.#take(2, what))
  }

  u24(what = 'a 3-byte integer'): number {
    return this.#buf.readUIntLE(this.#take(3, what), 3)
  }

  i24(what = 'a 3-byte integer'): number {
    return this.#buf.readIntLE(this.#take(3, what), 3)
  }

  u32(what = 'a 4-byte integer'): number {
    return this.#buf.readUInt32LE(this.#take(4, what))
  }

  i32(what = 'a 4-byte integer'): number {
    return this.#buf.readInt32LE(this.#take(4, what))
  }

  u48(what = 'a 6-byte integer'): number {
    return this.#buf.readUIntLE(this.#take(6, what), 6)
  }

  /** Little-endian unsigned integer of 1–6 bytes. */
  uintLE(size: number, what = `a ${size}-byte integer`): number {
    return size === 0 ? 0 : this.#buf.readUIntLE(this.#take(size, what), size)
  }

  /** Big-endian unsigned integer of 1–6 bytes. */
  uintBE(size: number, what = `a ${size}-byte integer`): number {
    return size === 0 ? 0 : this.#buf.readUIntBE(this.#take(size, what), size)
  }

  u64(what = 'an 8-byte integer'): bigint {
    return this.#buf.readBigUInt64LE(this.#take(8, what))
  }

  i64(what = 'an 8-byte integer'): bigint {
    return this.#buf.readBigInt64LE(this.#take(8, what))
  }

  /** Little-endian unsigned integer of 1–8 bytes as a bigint. */
  uintLEBig(size: number, what = `a ${size}-byte integer`): bigint {
    const at = this.#take(size, what)
    let value = 0n
    for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.#buf.readUInt8(at + i))
    return value
  }

  f32(what = 'a FLOAT'): number {
    return this.#buf.readFloatLE(this.#take(4, what))
  }

  f64(what = 'a DOUBLE'): number {
    return this.#buf.readDoubleLE(this.#take(8, what))
  }

  /** The next bytes, sharing memory with the input. */
  bytes(count: number, what = 'a byte string'): Buffer {
    const at = this.#take(count, what)
    return this.#buf.subarray(at, at + count)
  }

  rest(): Buffer {
    return this.bytes(this.remaining)
  }

  skip(count: number, what = 'skipped bytes'): void {
    this.#take(count, what)
  }

  /** A reader over the next `count` bytes; this reader moves past them. */
  sub(count: number, what = 'a nested block'): ByteReader {
    const at = this.#take(count, what)
    return new ByteReader(this.#buf, at, at + count)
  }

  /**
   * MySQL's length-encoded integer (`net_field_length`): < 0xfb is the value, 0xfc/0xfd/0xfe
   * introduce 2/3/8 bytes. 0xfb (SQL NULL in result sets) and 0xff never occur in binlog events.
   */
  lenenc(what = 'a length-encoded integer'): number {
    const value = this.lenencBig(what)
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new CdcError('CDC_DECODE_INVALID', `${what} ${value} is larger than any binlog field`)
    }
    return Number(value)
  }

  lenencBig(what = 'a length-encoded integer'): bigint {
    const first = this.u8(what)
    if (first < 0xfb) return BigInt(first)
    if (first === 0xfc) return BigInt(this.u16(what))
    if (first === 0xfd) return BigInt(this.u24(what))
    if (first === 0xfe) return this.u64(what)
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `${what} starts with 0x${first.toString(16)}, which is not a length-encoded integer`,
    )
  }

  /** Bytes up to (not including) the next NUL; the NUL is consumed. */
  nulTerminated(what = 'a NUL-terminated string'): Buffer {
    const at = this.#buf.indexOf(0, this.#pos)
    if (at < 0 || at >= this.#end) {
      throw new CdcError(
        'CDC_DECODE_TRUNCATED',
        `${what} at offset ${this.offset} has no terminating NUL byte`,
      )
    }
    const value = this.#buf.subarray(this.#pos, at)
    this.#pos = at + 1
    return value
  }

  /** Throws when bytes are left over: a field the decoder does not know about. */
  expectEnd(what: string): void {
    if (this.remaining !== 0) {
      throw new CdcError(
        'CDC_DECODE_INVALID',
        `${what} has ${this.remaining} unexpected bytes left at offset ${this.offset}`,
      )
    }
  }
}
