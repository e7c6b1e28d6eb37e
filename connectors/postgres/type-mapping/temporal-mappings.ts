import * as semantic from '../../../envelope/semantic-types.ts'
import {
  dateSchema,
  timeSchema,
  timestampSchema,
  timestampValue,
  timeValue,
} from '../../../envelope/value-modes.ts'
import { timePrecision } from './pg-type.ts'
import {
  epochDay,
  intervalMicros,
  parseDate,
  parseTimeOfDay,
  parseTimestampMicros,
  parseTimeWithZone,
  zonedTimestampText,
  zonedTimeText,
} from './temporal-text.ts'
import type { MappingOptions, ValueMapping } from './value-mapping.ts'

/**
 * Debezium's sentinels for ±infinity: the dates pgjdbc returns for them, and timestamps of
 * pgjdbc's DATE_POSITIVE/NEGATIVE_INFINITY read as microseconds.
 */
const infinityDays = epochDay({ year: -5877611, month: 6, day: 21 })
const minusInfinityDays = epochDay({ year: -5877611, month: 6, day: 22 })
const infinityMicros = 9_223_372_036_825_200_000n
const minusInfinityMicros = -9_223_372_036_832_400_000n

export function date(optional: boolean, options: MappingOptions): ValueMapping {
  return {
    schema: dateSchema(options.timePrecisionMode, { optional }),
    convert(text) {
      if (text === 'infinity') return infinityDays
      if (text === '-infinity') return minusInfinityDays
      return epochDay(parseDate(text))
    },
    fallback: 0,
    unavailable: null,
  }
}

export function time(typmod: number, optional: boolean, options: MappingOptions): ValueMapping {
  const schema = timeSchema(options.timePrecisionMode, timePrecision(typmod), { optional })
  return {
    schema,
    convert: (text) => timeValue(schema, parseTimeOfDay(text)),
    fallback: timeValue(schema, 0n),
    unavailable: null,
  }
}

export function timestamp(
  typmod: number,
  optional: boolean,
  options: MappingOptions,
): ValueMapping {
  const schema = timestampSchema(options.timePrecisionMode, timePrecision(typmod), { optional })
  const value = (micros: bigint) => timestampValue(schema, micros * 1000n)
  return {
    schema,
    convert(text) {
      if (text === 'infinity') return value(infinityMicros)
      if (text === '-infinity') return value(minusInfinityMicros)
      return value(parseTimestampMicros(text))
    },
    fallback: value(0n),
    unavailable: null,
  }
}

/** timestamptz: ISO-8601 in UTC with the column's fractional digits; ±infinity as text. */
export function timestamptz(typmod: number, optional: boolean): ValueMapping {
  const digits = timePrecision(typmod)
  return {
    schema: semantic.zonedTimestamp({ optional }),
    convert: (text) =>
      text === 'infinity' || text === '-infinity'
        ? text
        : zonedTimestampText(parseTimestampMicros(text), digits),
    fallback: '1970-01-01T00:00:00Z',
    unavailable: null,
  }
}

const endOfDayUtc = /^24:00:00(?:\.0{1,6})?(?:Z|[+-]00(?::?00)?)$/

export function timetz(optional: boolean): ValueMapping {
  return {
    schema: semantic.zonedTime({ optional }),
    convert: (text) =>
      endOfDayUtc.test(text) ? '24:00:00Z' : zonedTimeText(parseTimeWithZone(text)),
    fallback: '00:00:00Z',
    unavailable: null,
  }
}

export function interval(optional: boolean): ValueMapping {
  return {
    schema: semantic.microDuration({ optional }),
    convert: (text) => intervalMicros(text),
    fallback: 0n,
    unavailable: null,
  }
}
