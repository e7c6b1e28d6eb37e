import { CdcError } from '../../../common/errors.ts'

/**
 * Parsers for the temporal text PostgreSQL writes under DateStyle=ISO, TimeZone=UTC and
 * IntervalStyle=iso_8601 (pinned on every connection), into exact integers.
 */

export interface CivilDate {
  /** Proleptic ISO year: 1 BC is 0, 2 BC is -1. */
  year: number
  month: number
  day: number
}

const dateForm = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/
const timeForm = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/
const offsetForm = /([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/
const timestampForm =
  /^(\d{4,})-(\d{2})-(\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)([+-]\d{2}(?::?\d{2}){0,2})?( BC)?$/

function invalid(kind: string, text: string): CdcError {
  return new CdcError(
    'CDC_ENVELOPE_INVALID_VALUE',
    `cannot read PostgreSQL ${kind} ${JSON.stringify(text)}; the connection must use DateStyle=ISO and IntervalStyle=iso_8601`,
  )
}

export function parseDate(text: string): CivilDate {
  const match = dateForm.exec(text)
  if (match === null) throw invalid('date', text)
  const year = Number(match[1])
  return {
    year: match[4] === undefined ? year : 1 - year,
    month: Number(match[2]),
    day: Number(match[3]),
  }
}

/** Days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
export function epochDay({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146097 + dayOfEra - 719468
}

/** The civil date of an epoch day (H. Hinnant's civil_from_days). */
export function civilFromEpochDay(days: number): CivilDate {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const dayOfEra = z - era * 146097
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36524) -
      Math.floor(dayOfEra / 146096)) /
      365,
  )
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const mp = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/** Nanoseconds past midnight of `HH:MM:SS[.ffffff]`; 24:00:00 is allowed, as in PostgreSQL. */
export function parseTimeOfDay(text: string): bigint {
  const match = timeForm.exec(text)
  if (match === null) throw invalid('time', text)
  const seconds = BigInt(Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]))
  return seconds * 1_000_000_000n + BigInt((match[4] ?? '').padEnd(9, '0'))
}

/** Seconds east of UTC of a `+HH[:MM[:SS]]` suffix. */
export function parseOffset(text: string): number {
  const match = offsetForm.exec(text)
  if (match === null) throw invalid('time zone offset', text)
  const seconds = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0)
  return match[1] === '-' ? -seconds : seconds
}

/** `HH:MM:SS[.ffffff]+HH[:MM]` as nanoseconds past midnight in UTC, wrapped into one day. */
export function parseTimeWithZone(text: string): bigint {
  const offset = offsetForm.exec(text)
  if (offset === null) throw invalid('timetz', text)
  const local = parseTimeOfDay(text.slice(0, offset.index))
  const day = 86_400_000_000_000n
  const utc = local - BigInt(parseOffset(offset[0])) * 1_000_000_000n
  return ((utc % day) + day) % day
}

/** Microseconds since the epoch of a timestamp (with or without offset), read as UTC. */
export function parseTimestampMicros(text: string): bigint {
  const match = timestampForm.exec(text)
  if (match === null) throw invalid('timestamp', text)
  const year = Number(match[1])
  const days = epochDay({
    year: match[6] === undefined ? year : 1 - year,
    month: Number(match[2]),
    day: Number(match[3]),
  })
  const offsetSeconds = match[5] === undefined ? 0 : parseOffset(match[5])
  const timeNanos = parseTimeOfDay(match[4] ?? '')
  return BigInt(days) * 86_400_000_000n + timeNanos / 1000n - BigInt(offsetSeconds) * 1_000_000n
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

/** Java's ISO_LOCAL_DATE year: at least 4 digits, `+` above 9999, `-` below 0. */
function isoYear(year: number): string {
  if (year > 9999) return `+${year}`
  if (year < 0) return `-${pad(-year, 4)}`
  return pad(year, 4)
}

function clock(nanosOfDay: bigint): { hms: string; nanos: bigint } {
  const seconds = Number(nanosOfDay / 1_000_000_000n)
  return {
    hms: `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`,
    nanos: nanosOfDay % 1_000_000_000n,
  }
}

/**
 * Debezium's ZonedTimestamp text: ISO-8601 in UTC with exactly `fractionDigits` digits
 * (Java's formatter with the column precision as width), `Z` for the zone.
 */
export function zonedTimestampText(epochMicros: bigint, fractionDigits: number): string {
  const dayMicros = 86_400_000_000n
  let days = epochMicros / dayMicros
  let rest = epochMicros % dayMicros
  if (rest < 0n) {
    rest += dayMicros
    days -= 1n
  }
  const date = civilFromEpochDay(Number(days))
  const { hms, nanos } = clock(rest * 1000n)
  const fraction =
    fractionDigits > 0 ? `.${nanos.toString().padStart(9, '0').slice(0, fractionDigits)}` : ''
  return `${isoYear(date.year)}-${pad(date.month, 2)}-${pad(date.day, 2)}T${hms}${fraction}Z`
}

/** Debezium's ZonedTime text: Java's ISO_OFFSET_TIME (fraction without trailing zeros) in UTC. */
export function zonedTimeText(nanosOfDay: bigint): string {
  const { hms, nanos } = clock(nanosOfDay)
  const fraction = nanos === 0n ? '' : `.${nanos.toString().padStart(9, '0').replace(/0+$/, '')}`
  return `${hms}${fraction}Z`
}

const intervalForm =
  /^P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+(?:\.\d+)?)S)?)?$/

const int64Max = (1n << 63n) - 1n
const int64Min = -(1n << 63n)

/**
 * Debezium's MicroDuration of an iso_8601 interval: the same double arithmetic as its
 * `MicroDuration.durationMicros` (months as 365.25/12 days), truncated like Java's (long),
 * which also saturates: intervals beyond ±292271 years give Long.MAX/MIN_VALUE.
 */
export function intervalMicros(text: string): bigint {
  const match = intervalForm.exec(text)
  if (match === null || text === 'P' || text.endsWith('T')) throw invalid('interval', text)
  const part = (index: number): number => Number(match[index] ?? 0)
  const daysPerMonth = 365.25 / 12
  const days = (part(1) * 12 + part(2)) * daysPerMonth + part(3)
  const seconds = ((days * 24 + part(4)) * 60 + part(5)) * 60 + part(6)
  const micros = BigInt(Math.trunc(seconds * 1e6))
  return micros > int64Max ? int64Max : micros < int64Min ? int64Min : micros
}
