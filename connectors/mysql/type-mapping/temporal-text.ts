import { CdcError } from '../../../common/errors.ts'

/**
 * Temporal values as plain fields, from the text protocol (`2024-01-02 03:04:05.678`,
 * `-838:59:59.000000`) or the binlog decoder, and their epoch arithmetic. MySQL keeps
 * zero dates and zero parts, which no JS Date holds; they stay fields until converted.
 */
export interface DateFields {
  year: number
  month: number
  day: number
}

export interface DateTimeFields extends DateFields {
  hour: number
  minute: number
  second: number
  microsecond: number
}

export interface TimeFields {
  negative: boolean
  hours: number
  minutes: number
  seconds: number
  microseconds: number
}

function bad(text: string, what: string): CdcError {
  return new CdcError('CDC_ENVELOPE_INVALID_VALUE', `${JSON.stringify(text)} is not a ${what}`)
}

/** Microseconds from a fraction's digits (`5` → 500000, `123456` → 123456). */
function fractionMicros(digits: string | undefined): number {
  if (digits === undefined || digits === '') return 0
  return Number(digits.slice(0, 6).padEnd(6, '0'))
}

export function parseDateText(text: string): DateFields {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (match === null) throw bad(text, 'DATE')
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }
}

export function parseDateTimeText(text: string): DateTimeFields {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text)
  if (match === null) throw bad(text, 'DATETIME or TIMESTAMP')
  return {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4]),
    minute: Number(match[5]),
    second: Number(match[6]),
    microsecond: fractionMicros(match[7]),
  }
}

export function parseTimeText(text: string): TimeFields {
  const match = /^(-)?(\d{2,3}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text)
  if (match === null) throw bad(text, 'TIME')
  return {
    negative: match[1] === '-',
    hours: Number(match[2]),
    minutes: Number(match[3]),
    seconds: Number(match[4]),
    microseconds: fractionMicros(match[5]),
  }
}

/** Zero dates (`0000-00-00`) and dates with a zero month or day have no instant. */
export function isZeroDate(date: DateFields): boolean {
  return date.month === 0 || date.day === 0
}

/** Days since 1970-01-01 in the proleptic Gregorian calendar (Java's LocalDate.toEpochDay). */
export function epochDay({ year, month, day }: DateFields): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146097 + dayOfEra - 719468
}

const nanosPerSecond = 1_000_000_000n

/** Nanoseconds since the epoch of a zone-less date-time taken as UTC. */
export function epochNanos(value: DateTimeFields): bigint {
  const seconds =
    BigInt(epochDay(value)) * 86_400n + BigInt(value.hour * 3600 + value.minute * 60 + value.second)
  return seconds * nanosPerSecond + BigInt(value.microsecond) * 1000n
}

/** A TIME as signed nanoseconds (it is a duration: negative and above 24 hours allowed). */
export function timeNanos(value: TimeFields): bigint {
  const magnitude =
    BigInt(value.hours * 3600 + value.minutes * 60 + value.seconds) * nanosPerSecond +
    BigInt(value.microseconds) * 1000n
  return value.negative ? -magnitude : magnitude
}

const pad = (value: number, width: number) => String(value).padStart(width, '0')

/**
 * Debezium's ZonedTimestamp text of a UTC instant: ISO-8601 with `Z`, the fraction
 * written to the column's precision (none for TIMESTAMP(0)).
 */
export function zonedTimestampText(epochSeconds: number, microsecond: number, fsp: number): string {
  const date = new Date(epochSeconds * 1000)
  const text =
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`
  const fraction = fsp > 0 ? `.${pad(microsecond, 6).slice(0, fsp)}` : ''
  return `${text}${fraction}Z`
}
