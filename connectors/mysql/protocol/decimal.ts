import { CdcError } from '../../../common/errors.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import type { ByteReader } from './byte-reader.ts'

/** Bytes that hold 0–9 leftover decimal digits (`dig2bytes` in MySQL's decimal.c). */
const digitBytes = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4] as const

function leftoverBytes(digits: number): number {
  return digitBytes[digits % 9] ?? 0
}

/** Size in bytes of a binary NEWDECIMAL of the given precision and scale. */
export function decimalBinarySize(precision: number, scale: number): number {
  const integral = precision - scale
  return (
    Math.floor(integral / 9) * 4 +
    leftoverBytes(integral) +
    Math.floor(scale / 9) * 4 +
    leftoverBytes(scale)
  )
}

/**
 * NEWDECIMAL (246) in MySQL's binary form: the integer and fraction digits in groups of 9
 * (4 bytes big-endian each), the integer part's short group first and the fraction's short
 * group last. The top bit of the first byte is set for non-negative values; negative values
 * have every byte inverted. Decoded exactly, at the column's scale.
 */
export function readDecimal(reader: ByteReader, precision: number, scale: number): Decimal {
  if (precision < 1 || precision > 65 || scale < 0 || scale > 30 || scale > precision) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `DECIMAL(${precision},${scale}) is not a valid precision and scale`,
    )
  }
  const raw = reader.bytes(decimalBinarySize(precision, scale), `a DECIMAL(${precision},${scale})`)
  const bytes = Buffer.from(raw)
  const first = bytes.readUInt8(0)
  const negative = (first & 0x80) === 0
  bytes.writeUInt8(first ^ 0x80, 0)
  if (negative)
    for (let i = 0; i < bytes.length; i++) bytes.writeUInt8(~bytes.readUInt8(i) & 0xff, i)

  const integral = precision - scale
  let at = 0
  const group = (digits: number): bigint => {
    const size = digits === 9 ? 4 : leftoverBytes(digits)
    const value = size === 0 ? 0 : bytes.readUIntBE(at, size)
    at += size
    if (value >= 10 ** digits) {
      throw new CdcError(
        'CDC_DECODE_INVALID',
        `DECIMAL(${precision},${scale}) has a ${digits}-digit group holding ${value}`,
      )
    }
    return BigInt(value)
  }
  let unscaled = group(integral % 9)
  for (let i = 0; i < Math.floor(integral / 9); i++) unscaled = unscaled * 1_000_000_000n + group(9)
  for (let i = 0; i < Math.floor(scale / 9); i++) unscaled = unscaled * 1_000_000_000n + group(9)
  const tail = scale % 9
  unscaled = unscaled * 10n ** BigInt(tail) + group(tail)
  return new Decimal(negative ? -unscaled : unscaled, scale)
}
