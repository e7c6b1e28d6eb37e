import { CdcError } from '../../../common/errors.ts'
import type { ByteReader } from './byte-reader.ts'

/**
 * Temporal column values exactly as stored, fields kept apart: MySQL allows zero dates
 * (0000-00-00), zero parts (2020-00-15) and TIME beyond 24 hours, none of which a JS Date
 * or an epoch number can hold. Fractions are whole microseconds.
 */
export interface MysqlDate {
  kind: 'date'
  year: number
  month: number
  day: number
}

export interface MysqlDateTime {
  kind: 'datetime'
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  microsecond: number
}

/** A TIME: a signed duration of up to 838:59:59.999999 (the sign applies to every field). */
export interface MysqlTime {
  kind: 'time'
  negative: boolean
  hours: number
  minutes: number
  seconds: number
  microseconds: number
}

/** A TIMESTAMP: seconds since the Unix epoch in UTC; 0 (with 0 µs) is the zero timestamp. */
export interface MysqlTimestamp {
  kind: 'timestamp'
  epochSeconds: number
  microsecond: number
}

export type MysqlTemporal = MysqlDate | MysqlDateTime | MysqlTime | MysqlTimestamp

/** Bytes that hold the fraction of a TIME2/DATETIME2/TIMESTAMP2 with `fsp` digits. */
export function fractionBytes(fsp: number): number {
  return Math.ceil(fsp / 2)
}

/** Multiplier from the stored fraction unit to microseconds, by fraction byte count. */
const fractionScale = [0, 10_000, 100, 1] as const

function checkFsp(fsp: number): number {
  if (!Number.isInteger(fsp) || fsp < 0 || fsp > 6) {
    throw new CdcError('CDC_DECODE_INVALID', `fractional-second precision ${fsp} is not 0–6`)
  }
  return fractionBytes(fsp)
}

function readFraction(reader: ByteReader, fsp: number): number {
  const size = checkFsp(fsp)
  return size === 0 ? 0 : reader.uintBE(size, 'a fraction of a second') * (fractionScale[size] ?? 1)
}

/** DATE (10): 3 bytes little-endian, day in bits 0–4, month in 5–8, year above. */
export function readDate(reader: ByteReader): MysqlDate {
  const value = reader.u24('a DATE')
  return { kind: 'date', year: value >>> 9, month: (value >>> 5) & 15, day: value & 31 }
}

/**
 * DATETIME2 (18): 5 bytes big-endian offset by 2^39 holding, from the top, sign, year×13+month
 * (17 bits), day (5), hour (5), minute (6), second (6); then the fraction bytes.
 */
export function readDateTime2(reader: ByteReader, fsp: number): MysqlDateTime {
  const packed = reader.uintBE(5, 'a DATETIME2') - 0x80_0000_0000
  const microsecond = readFraction(reader, fsp)
  const magnitude = Math.abs(packed)
  const ymd = Math.floor(magnitude / 2 ** 17)
  const hms = magnitude % 2 ** 17
  const yearMonth = Math.floor(ymd / 32)
  return {
    kind: 'datetime',
    year: Math.floor(yearMonth / 13),
    month: yearMonth % 13,
    day: ymd % 32,
    hour: Math.floor(hms / 4096),
    minute: Math.floor(hms / 64) % 64,
    second: hms % 64,
    microsecond,
  }
}

/** TIMESTAMP2 (17): 4 bytes big-endian epoch seconds, then the fraction bytes. */
export function readTimestamp2(reader: ByteReader, fsp: number): MysqlTimestamp {
  const epochSeconds = reader.uintBE(4, 'a TIMESTAMP2')
  return { kind: 'timestamp', epochSeconds, microsecond: readFraction(reader, fsp) }
}

/**
 * TIME2 (19): 3 + ceil(fsp/2) bytes big-endian. Read as one integer offset by half its
 * range, the value is a signed count of (seconds-field, fraction) units: negative times
 * need no special case. The integer part packs hour (10 bits), minute (6), second (6).
 */
export function readTime2(reader: ByteReader, fsp: number): MysqlTime {
  const fracSize = checkFsp(fsp)
  const size = 3 + fracSize
  const value = reader.uintBE(size, 'a TIME2') - 2 ** (8 * size - 1)
  const magnitude = Math.abs(value)
  const unit = 2 ** (8 * fracSize)
  const hms = Math.floor(magnitude / unit)
  return {
    kind: 'time',
    negative: value < 0,
    hours: Math.floor(hms / 4096) % 1024,
    minutes: Math.floor(hms / 64) % 64,
    seconds: hms % 64,
    microseconds: (magnitude % unit) * (fractionScale[fracSize] ?? 1),
  }
}

/** Old TIME (11): 3 bytes little-endian signed, the decimal number ±HHMMSS. */
export function readTimeOld(reader: ByteReader): MysqlTime {
  const value = reader.i24('a TIME')
  const magnitude = Math.abs(value)
  return {
    kind: 'time',
    negative: value < 0,
    hours: Math.floor(magnitude / 10000),
    minutes: Math.floor(magnitude / 100) % 100,
    seconds: magnitude % 100,
    microseconds: 0,
  }
}

/** Old DATETIME (12): 8 bytes little-endian, the decimal number YYYYMMDDhhmmss. */
export function readDateTimeOld(reader: ByteReader): MysqlDateTime {
  const value = reader.u64('a DATETIME')
  const date = Number(value / 1_000_000n)
  const time = Number(value % 1_000_000n)
  return {
    kind: 'datetime',
    year: Math.floor(date / 10000),
    month: Math.floor(date / 100) % 100,
    day: date % 100,
    hour: Math.floor(time / 10000),
    minute: Math.floor(time / 100) % 100,
    second: time % 100,
    microsecond: 0,
  }
}

/** Old TIMESTAMP (7): 4 bytes little-endian epoch seconds. */
export function readTimestampOld(reader: ByteReader): MysqlTimestamp {
  return { kind: 'timestamp', epochSeconds: reader.u32('a TIMESTAMP'), microsecond: 0 }
}

/**
 * The in-memory "packed" DATETIME of MySQL's JSON opaque values: an int64 holding
 * ((ymd << 17 | hms) << 24) + microseconds, negated for negative values.
 */
export function unpackDateTime(packed: bigint): MysqlDateTime {
  const magnitude = packed < 0n ? -packed : packed
  const microsecond = Number(magnitude & 0xff_ffffn)
  const whole = magnitude >> 24n
  const ymd = Number(whole >> 17n)
  const hms = Number(whole & 0x1_ffffn)
  const yearMonth = ymd >>> 5
  return {
    kind: 'datetime',
    year: Math.floor(yearMonth / 13),
    month: yearMonth % 13,
    day: ymd & 31,
    hour: hms >>> 12,
    minute: (hms >>> 6) & 63,
    second: hms & 63,
    microsecond,
  }
}

/** The packed TIME of JSON opaques: ((hour << 12 | minute << 6 | second) << 24) + µs, signed. */
export function unpackTime(packed: bigint): MysqlTime {
  const magnitude = packed < 0n ? -packed : packed
  const hms = Number(magnitude >> 24n)
  return {
    kind: 'time',
    negative: packed < 0n,
    hours: hms >>> 12,
    minutes: (hms >>> 6) & 63,
    seconds: hms & 63,
    microseconds: Number(magnitude & 0xff_ffffn),
  }
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

function fraction(microseconds: number, fsp: number): string {
  return fsp === 0 ? '' : `.${pad(microseconds, 6).slice(0, fsp)}`
}

/** `YYYY-MM-DD`, zero parts kept (`0000-00-00`). */
export function formatDate(value: MysqlDate): string {
  return `${pad(value.year, 4)}-${pad(value.month, 2)}-${pad(value.day, 2)}`
}

/** `YYYY-MM-DD hh:mm:ss` with `fsp` fraction digits, as MySQL prints the column. */
export function formatDateTime(value: MysqlDateTime, fsp: number): string {
  const date = formatDate({ kind: 'date', year: value.year, month: value.month, day: value.day })
  const time = `${pad(value.hour, 2)}:${pad(value.minute, 2)}:${pad(value.second, 2)}`
  return `${date} ${time}${fraction(value.microsecond, fsp)}`
}

/** `[-]hh:mm:ss` with `fsp` fraction digits; hours take as many digits as they need. */
export function formatTime(value: MysqlTime, fsp: number): string {
  const sign = value.negative ? '-' : ''
  const body = `${pad(value.hours, 2)}:${pad(value.minutes, 2)}:${pad(value.seconds, 2)}`
  return `${sign}${body}${fraction(value.microseconds, fsp)}`
}

/** The timestamp in UTC as `YYYY-MM-DD hh:mm:ss[.f]`; the zero timestamp as zeros. */
export function formatTimestamp(value: MysqlTimestamp, fsp: number): string {
  if (value.epochSeconds === 0 && value.microsecond === 0) {
    return `0000-00-00 00:00:00${fraction(0, fsp)}`
  }
  const iso = new Date(value.epochSeconds * 1000).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction(value.microsecond, fsp)}`
}
