// Byte builders for hand-made binlog events, written from the format descriptions (MySQL
// source comments, MariaDB KB) independently of the decoder under test.
import { crc32 } from 'node:zlib'

export function u8(value: number): Buffer {
  return Buffer.from([value & 0xff])
}

export function u16(value: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeUInt16LE(value)
  return b
}

export function u24(value: number): Buffer {
  const b = Buffer.alloc(3)
  b.writeUIntLE(value, 0, 3)
  return b
}

export function u32(value: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(value >>> 0)
  return b
}

export function u48(value: number): Buffer {
  const b = Buffer.alloc(6)
  b.writeUIntLE(value, 0, 6)
  return b
}

export function u64(value: bigint): Buffer {
  const b = Buffer.alloc(8)
  b.writeBigUInt64LE(BigInt.asUintN(64, value))
  return b
}

export function lenenc(value: number | bigint): Buffer {
  const n = BigInt(value)
  if (n < 0xfbn) return u8(Number(n))
  if (n <= 0xffffn) return Buffer.concat([u8(0xfc), u16(Number(n))])
  if (n <= 0xffffffn) return Buffer.concat([u8(0xfd), u24(Number(n))])
  return Buffer.concat([u8(0xfe), u64(n)])
}

export function lenencBytes(bytes: Buffer | string): Buffer {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes
  return Buffer.concat([lenenc(b.length), b])
}

export function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex')
}

export interface EventOptions {
  timestamp?: number
  serverId?: number
  logPos?: number
  flags?: number
  /** Append a CRC32 trailer (default true). */
  checksum?: boolean
}

/** A whole event: 19-byte header, body, and (by default) a CRC32 trailer. */
export function event(type: number, body: Buffer, options: EventOptions = {}): Buffer {
  const checksum = options.checksum ?? true
  const size = 19 + body.length + (checksum ? 4 : 0)
  const header = Buffer.concat([
    u32(options.timestamp ?? 1_700_000_000),
    u8(type),
    u32(options.serverId ?? 1),
    u32(size),
    u32(options.logPos ?? 0),
    u16(options.flags ?? 0),
  ])
  const withoutCrc = Buffer.concat([header, body])
  return checksum ? Buffer.concat([withoutCrc, u32(crc32(withoutCrc))]) : withoutCrc
}

/** Post-header lengths of a MariaDB 10.11 binlog, by type code − 1. */
export function postHeaderLengths(): number[] {
  const table = new Array<number>(171).fill(0)
  const set = (type: number, length: number): void => {
    table[type - 1] = length
  }
  set(1, 56)
  set(2, 13)
  set(4, 8)
  set(15, 97)
  set(19, 8)
  for (const type of [23, 24, 25, 166, 167, 168]) set(type, 8)
  for (const type of [30, 31, 32, 169, 170, 171]) set(type, 10)
  set(26, 2)
  set(161, 4)
  set(162, 19)
  set(163, 4)
  set(165, 13)
  return table
}

export interface FormatOptions {
  serverVersion?: string
  checksum?: 'crc32' | 'none'
  postHeaders?: number[]
  flags?: number
}

/** A FORMAT_DESCRIPTION event (with its algorithm byte and, for CRC32, a real checksum). */
export function formatDescription(options: FormatOptions = {}): Buffer {
  const version = Buffer.alloc(50)
  version.write(options.serverVersion ?? '10.11.19-MariaDB-log', 'latin1')
  const algorithm = options.checksum ?? 'crc32'
  const body = Buffer.concat([
    u16(4),
    version,
    u32(0),
    u8(19),
    Buffer.from(options.postHeaders ?? postHeaderLengths()),
    u8(algorithm === 'crc32' ? 1 : 0),
  ])
  if (algorithm === 'crc32') return event(15, body, { flags: options.flags ?? 0, logPos: 0 })
  // Checksums off: the 4 trailing bytes are still there.
  const e = event(15, Buffer.concat([body, u32(0)]), { checksum: false, flags: options.flags ?? 0 })
  return e
}

/** Rewrites an event's CRC32 after its bytes were changed. */
export function refreshChecksum(e: Buffer): Buffer {
  const copy = Buffer.from(e)
  copy.writeUInt32LE(crc32(copy.subarray(0, copy.length - 4)), copy.length - 4)
  return copy
}

export interface ColumnDef {
  type: number
  meta?: Buffer
  nullable?: boolean
}

/** A TABLE_MAP body: 6-byte id, flags, names, types, metadata, nullability, optional TLVs. */
export function tableMapBody(
  tableId: number,
  database: string,
  table: string,
  columns: ColumnDef[],
  optional: Buffer = Buffer.alloc(0),
): Buffer {
  const meta = Buffer.concat(columns.map((c) => c.meta ?? Buffer.alloc(0)))
  const nulls = Buffer.alloc(Math.ceil(columns.length / 8))
  columns.forEach((c, i) => {
    if (c.nullable ?? true) nulls.writeUInt8(nulls.readUInt8(i >> 3) | (1 << (i & 7)), i >> 3)
  })
  return Buffer.concat([
    u48(tableId),
    u16(1),
    u8(Buffer.byteLength(database)),
    Buffer.from(database),
    u8(0),
    u8(Buffer.byteLength(table)),
    Buffer.from(table),
    u8(0),
    lenenc(columns.length),
    Buffer.from(columns.map((c) => c.type)),
    lenencBytes(meta),
    nulls,
    optional,
  ])
}

/** One optional-metadata TLV. */
export function tlv(type: number, value: Buffer): Buffer {
  return Buffer.concat([u8(type), lenenc(value.length), value])
}

/** A bitmap, least significant bit first (row images). */
export function lsbBitmap(bits: boolean[]): Buffer {
  const out = Buffer.alloc(Math.ceil(bits.length / 8))
  bits.forEach((bit, i) => {
    if (bit) out.writeUInt8(out.readUInt8(i >> 3) | (1 << (i & 7)), i >> 3)
  })
  return out
}

/** A bitmap, most significant bit first (optional metadata). */
export function msbBitmap(bits: boolean[]): Buffer {
  const out = Buffer.alloc(Math.ceil(bits.length / 8))
  bits.forEach((bit, i) => {
    if (bit) out.writeUInt8(out.readUInt8(i >> 3) | (0x80 >> (i & 7)), i >> 3)
  })
  return out
}

/** A row image: NULL bitmap over the present columns, then the given value bytes. */
export function image(nulls: boolean[], values: Buffer[]): Buffer {
  return Buffer.concat([lsbBitmap(nulls), ...values])
}

/** A v1 (or v2 with `extra`) rows body for a table id. */
export function rowsBody(
  tableId: number,
  count: number,
  rows: Buffer,
  options: { present?: boolean[]; presentAfter?: boolean[]; extra?: Buffer; flags?: number } = {},
): Buffer {
  const present = options.present ?? new Array<boolean>(count).fill(true)
  return Buffer.concat([
    u48(tableId),
    u16(options.flags ?? 1),
    options.extra === undefined
      ? Buffer.alloc(0)
      : Buffer.concat([u16(options.extra.length + 2), options.extra]),
    lenenc(count),
    lsbBitmap(present),
    options.presentAfter === undefined ? Buffer.alloc(0) : lsbBitmap(options.presentAfter),
    rows,
  ])
}
