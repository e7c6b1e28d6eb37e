// Encoders for MySQL's binary DECIMAL, temporal and JSON formats, written from the format
// descriptions for round-trip tests; they share no code with the decoder.

const dig2bytes = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4]

function beBytes(value: number, size: number): number[] {
  const out: number[] = []
  for (let i = size - 1; i >= 0; i--) out.push(Math.floor(value / 256 ** i) % 256)
  return out
}

/** Decimal text (`-12.5`) to NEWDECIMAL(precision, scale) binary. */
export function encodeDecimal(text: string, precision: number, scale: number): Buffer {
  const negative = text.startsWith('-')
  const [intText = '', fracText = ''] = text.replace(/^[-+]/, '').split('.')
  const intDigits = intText.replace(/^0+/, '').padStart(precision - scale, '0')
  const fracDigits = fracText.padEnd(scale, '0')
  const bytes: number[] = []
  const intLeft = (precision - scale) % 9
  bytes.push(...beBytes(Number(intDigits.slice(0, intLeft) || '0'), dig2bytes[intLeft] ?? 0))
  for (let at = intLeft; at < intDigits.length; at += 9)
    bytes.push(...beBytes(Number(intDigits.slice(at, at + 9)), 4))
  const fracFull = Math.floor(scale / 9) * 9
  for (let at = 0; at < fracFull; at += 9)
    bytes.push(...beBytes(Number(fracDigits.slice(at, at + 9)), 4))
  const fracLeft = scale % 9
  bytes.push(...beBytes(Number(fracDigits.slice(fracFull) || '0'), dig2bytes[fracLeft] ?? 0))
  const out = Buffer.from(bytes)
  if (negative) for (let i = 0; i < out.length; i++) out.writeUInt8(~out.readUInt8(i) & 0xff, i)
  out.writeUInt8(out.readUInt8(0) ^ 0x80, 0)
  return out
}

function fractionBytes(microsecond: number, fsp: number): number[] {
  if (fsp === 0) return []
  if (fsp <= 2) return [Math.floor(microsecond / 10000)]
  if (fsp <= 4) return beBytes(Math.floor(microsecond / 100), 2)
  return beBytes(microsecond, 3)
}

export interface DateTimeParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  microsecond: number
}

/** DATETIME2(fsp): 40-bit packed value + 2^39, big-endian, then the fraction. */
export function encodeDateTime2(v: DateTimeParts, fsp: number): Buffer {
  const ym = v.year * 13 + v.month
  const packed = (ym * 32 + v.day) * 2 ** 17 + (v.hour * 4096 + v.minute * 64 + v.second) + 2 ** 39
  return Buffer.from([...beBytes(packed, 5), ...fractionBytes(v.microsecond, fsp)])
}

/** TIMESTAMP2(fsp): seconds big-endian, then the fraction. */
export function encodeTimestamp2(seconds: number, microsecond: number, fsp: number): Buffer {
  return Buffer.from([...beBytes(seconds, 4), ...fractionBytes(microsecond, fsp)])
}

/**
 * TIME2(fsp) the way MySQL writes it (my_time_packed_to_binary): integer part offset by
 * 0x800000; for fsp 1–4 a negative value with a fraction borrows one second and stores the
 * complement of the fraction; fsp 5–6 store the whole packed value offset by 2^47.
 */
export function encodeTime2(
  negative: boolean,
  h: number,
  m: number,
  s: number,
  micro: number,
  fsp: number,
): Buffer {
  const sign = negative ? -1 : 1
  const hms = h * 4096 + m * 64 + s
  if (fsp === 0) return Buffer.from(beBytes(0x800000 + sign * hms, 3))
  if (fsp >= 5) return Buffer.from(beBytes(2 ** 47 + sign * (hms * 2 ** 24 + micro), 6))
  const unit = fsp <= 2 ? 10000 : 100
  const fracBytes = fsp <= 2 ? 1 : 2
  let intPart = sign * hms
  let frac = Math.floor(micro / unit)
  if (negative && frac !== 0) {
    intPart -= 1
    frac = 256 ** fracBytes - frac
  }
  return Buffer.from([...beBytes(0x800000 + intPart, 3), ...beBytes(frac, fracBytes)])
}

/** A MySQL JSON value to encode: objects keep the given key order. */
export type JsonInput =
  | { t: 'literal'; v: null | boolean }
  | { t: 'int16' | 'uint16' | 'int32' | 'uint32'; v: number }
  | { t: 'int64' | 'uint64'; v: bigint }
  | { t: 'double'; v: number }
  | { t: 'string'; v: string }
  | { t: 'opaque'; type: number; bytes: Buffer }
  | { t: 'array'; items: JsonInput[]; large?: boolean }
  | { t: 'object'; members: [string, JsonInput][]; large?: boolean }

const typeCode = {
  literal: 0x04,
  int16: 0x05,
  uint16: 0x06,
  int32: 0x07,
  uint32: 0x08,
  int64: 0x09,
  uint64: 0x0a,
  double: 0x0b,
  string: 0x0c,
  opaque: 0x0f,
} as const

function varLength(n: number): Buffer {
  const out: number[] = []
  let rest = n
  do {
    const low = rest & 0x7f
    rest = Math.floor(rest / 128)
    out.push(rest > 0 ? low | 0x80 : low)
  } while (rest > 0)
  return Buffer.from(out)
}

function code(v: JsonInput): number {
  if (v.t === 'array') return v.large === true ? 0x03 : 0x02
  if (v.t === 'object') return v.large === true ? 0x01 : 0x00
  return typeCode[v.t]
}

function scalar(v: JsonInput): Buffer {
  const b = Buffer.alloc(8)
  switch (v.t) {
    case 'literal':
      return Buffer.from([v.v === null ? 0 : v.v ? 1 : 2])
    case 'int16':
      b.writeInt16LE(v.v)
      return b.subarray(0, 2)
    case 'uint16':
      b.writeUInt16LE(v.v)
      return b.subarray(0, 2)
    case 'int32':
      b.writeInt32LE(v.v)
      return b.subarray(0, 4)
    case 'uint32':
      b.writeUInt32LE(v.v)
      return b.subarray(0, 4)
    case 'int64':
      b.writeBigInt64LE(v.v)
      return b
    case 'uint64':
      b.writeBigUInt64LE(v.v)
      return b
    case 'double':
      b.writeDoubleLE(v.v)
      return b
    case 'string': {
      const s = Buffer.from(v.v, 'utf8')
      return Buffer.concat([varLength(s.length), s])
    }
    case 'opaque':
      return Buffer.concat([Buffer.from([v.type]), varLength(v.bytes.length), v.bytes])
    case 'array':
    case 'object':
      return container(v)
  }
}

function inlined(v: JsonInput, large: boolean): boolean {
  return (
    v.t === 'literal' ||
    v.t === 'int16' ||
    v.t === 'uint16' ||
    (large && (v.t === 'int32' || v.t === 'uint32'))
  )
}

function container(v: JsonInput): Buffer {
  if (v.t !== 'array' && v.t !== 'object') throw new Error('not a container')
  const large = v.large === true
  const w = large ? 4 : 2
  const items = v.t === 'array' ? v.items : v.members.map(([, value]) => value)
  const keys = v.t === 'object' ? v.members.map(([key]) => Buffer.from(key, 'utf8')) : []
  const headerSize = 2 * w + keys.length * (w + 2) + items.length * (1 + w)
  const parts: Buffer[] = []
  let offset = headerSize
  const keyEntries = keys.map((key) => {
    const entry = Buffer.alloc(w + 2)
    entry.writeUIntLE(offset, 0, w)
    entry.writeUInt16LE(key.length, w)
    parts.push(key)
    offset += key.length
    return entry
  })
  const valueEntries = items.map((item) => {
    const entry = Buffer.alloc(1 + w)
    entry.writeUInt8(code(item), 0)
    if (inlined(item, large)) {
      scalar(item).copy(entry, 1)
    } else {
      const data = scalar(item)
      entry.writeUIntLE(offset, 1, w)
      parts.push(data)
      offset += data.length
    }
    return entry
  })
  const header = Buffer.alloc(2 * w)
  header.writeUIntLE(items.length, 0, w)
  header.writeUIntLE(offset, w, w)
  return Buffer.concat([header, ...keyEntries, ...valueEntries, ...parts])
}

/** A whole JSON column value: the type byte, then the value. */
export function encodeJson(v: JsonInput): Buffer {
  return Buffer.concat([Buffer.from([code(v)]), scalar(v)])
}

/** MySQL's packed DATETIME for JSON opaques (8 bytes little-endian). */
export function packedDateTime(v: DateTimeParts): Buffer {
  const ymd = BigInt((v.year * 13 + v.month) * 32 + v.day)
  const hms = BigInt(v.hour * 4096 + v.minute * 64 + v.second)
  const b = Buffer.alloc(8)
  b.writeBigInt64LE((((ymd << 17n) | hms) << 24n) + BigInt(v.microsecond))
  return b
}

export function packedTime(
  negative: boolean,
  h: number,
  m: number,
  s: number,
  micro: number,
): Buffer {
  const value = (BigInt(h * 4096 + m * 64 + s) << 24n) + BigInt(micro)
  const b = Buffer.alloc(8)
  b.writeBigInt64LE(negative ? -value : value)
  return b
}
