import { CdcError } from '../../../common/errors.ts'
import {
  dateSchema,
  timeSchema,
  timestampSchema,
  timestampValue,
  timeValue,
} from '../../../envelope/value-modes.ts'
import * as semantic from '../../../envelope/semantic-types.ts'
import type { ConnectValue } from '../../../envelope/connect-schema.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import type { ColumnValue, MysqlTemporal } from '../protocol/index.ts'
import type { ColumnMapping, MappingInput } from './mapping.ts'
import { plainSelect } from './mapping.ts'
import {
  epochDay,
  epochNanos,
  isZeroDate,
  parseDateText,
  parseDateTimeText,
  parseTimeText,
  timeNanos,
  zonedTimestampText,
  type DateTimeFields,
} from './temporal-text.ts'

type Value = Exclude<ColumnValue, null>

/** The decoder's temporal object of the expected kind; anything else is a decoder bug. */
function temporal<K extends MysqlTemporal['kind']>(
  value: Value,
  kind: K,
  label: string,
): Extract<MysqlTemporal, { kind: K }> {
  if (
    typeof value === 'object' &&
    !(value instanceof Decimal) &&
    !Buffer.isBuffer(value) &&
    value.kind === kind
  ) {
    return value as Extract<MysqlTemporal, { kind: K }>
  }
  throw new CdcError(
    'CDC_DECODE_INVALID',
    `${label}: expected a ${kind} value from the binlog decoder`,
  )
}

/**
 * MySQL's zero dates have no instant: null when the column is nullable, otherwise the
 * epoch, as Debezium does.
 */
function zero(optional: boolean, epoch: ConnectValue): ConnectValue {
  return optional ? null : epoch
}

export function dateMapping({ def, options, label }: MappingInput): ColumnMapping {
  const optional = def.nullable
  const convert = (date: { year: number; month: number; day: number }) =>
    isZeroDate(date) ? zero(optional, 0) : epochDay(date)
  return {
    schema: dateSchema(options.timePrecisionMode, { optional }),
    select: plainSelect,
    fromBinlog: (value) => convert(temporal(value, 'date', label)),
    fromText: (bytes) => convert(parseDateText(bytes.toString('latin1'))),
  }
}

export function dateTimeMapping({ def, options, label }: MappingInput): ColumnMapping {
  const optional = def.nullable
  const schema = timestampSchema(options.timePrecisionMode, def.fsp ?? 0, { optional })
  const convert = (value: DateTimeFields) =>
    isZeroDate(value)
      ? zero(optional, timestampValue(schema, 0n))
      : timestampValue(schema, epochNanos(value))
  return {
    schema,
    select: plainSelect,
    fromBinlog: (value) => convert(temporal(value, 'datetime', label)),
    fromText: (bytes) => convert(parseDateTimeText(bytes.toString('latin1'))),
  }
}

/** TIMESTAMP is an instant: always Debezium's ZonedTimestamp string in UTC. */
export function timestampMapping({ def, label }: MappingInput): ColumnMapping {
  const optional = def.nullable
  const fsp = def.fsp ?? 0
  const convert = (epochSeconds: number, microsecond: number) =>
    epochSeconds === 0 && microsecond === 0
      ? zero(optional, zonedTimestampText(0, 0, fsp))
      : zonedTimestampText(epochSeconds, microsecond, fsp)
  return {
    schema: semantic.zonedTimestamp({ optional }),
    select: plainSelect,
    fromBinlog: (value) => {
      const { epochSeconds, microsecond } = temporal(value, 'timestamp', label)
      return convert(epochSeconds, microsecond)
    },
    fromText: (bytes) => {
      // The session runs in UTC, so the text is the instant's UTC date and time.
      const fields = parseDateTimeText(bytes.toString('latin1'))
      if (fields.year === 0 && isZeroDate(fields)) return convert(0, 0)
      const nanos = epochNanos(fields)
      return convert(Number(nanos / 1_000_000_000n), fields.microsecond)
    },
  }
}

/** TIME is a duration (negative and beyond 24 h allowed), in the unit time.precision.mode picks. */
export function timeMapping({ def, options, label }: MappingInput): ColumnMapping {
  const schema = timeSchema(options.timePrecisionMode, def.fsp ?? 0, { optional: def.nullable })
  return {
    schema,
    select: plainSelect,
    fromBinlog: (value) => timeValue(schema, timeNanos(temporal(value, 'time', label))),
    fromText: (bytes) => timeValue(schema, timeNanos(parseTimeText(bytes.toString('latin1')))),
  }
}
