import { CdcError } from '../../../common/errors.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import * as semantic from '../../../envelope/semantic-types.ts'
import { decimalSchema, decimalValue } from '../../../envelope/value-modes.ts'
import { numericPrecision } from './pg-type.ts'
import { primitive, type MappingOptions, type ValueMapping } from './value-mapping.ts'

/** PostgreSQL's special numeric texts, and the names Debezium's string mode gives them. */
const specialNumbers: ReadonlyMap<string, string> = new Map([
  ['NaN', 'NAN'],
  ['Infinity', 'POSITIVE_INFINITY'],
  ['-Infinity', 'NEGATIVE_INFINITY'],
])

const integerText = /^-?\d+$/
const floatText = /^(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|NaN|-?Infinity)$/

/** Server text is always valid; anything else means the session settings or the decoder are off. */
function checked(text: string, form: RegExp, type: string): string {
  if (!form.test(text)) {
    throw new CdcError(
      'CDC_ENVELOPE_INVALID_VALUE',
      `${JSON.stringify(text.slice(0, 100))} is not ${type} text`,
    )
  }
  return text
}

function integer(type: 'int16' | 'int32', optional: boolean): ValueMapping {
  return {
    schema: primitive(type, optional),
    convert: (text) => Number(checked(text, integerText, 'integer')),
    fallback: 0,
    unavailable: null,
  }
}

export function int2(optional: boolean): ValueMapping {
  return integer('int16', optional)
}

export function int4(optional: boolean): ValueMapping {
  return integer('int32', optional)
}

/** int8 and oid: int64 as bigint, never through number. */
export function int8(optional: boolean): ValueMapping {
  return {
    schema: primitive('int64', optional),
    convert: (text) => BigInt(text),
    fallback: 0n,
    unavailable: null,
  }
}

/** real and double precision: Number() reads `NaN`, `Infinity` and `-Infinity` as such. */
export function float(type: 'float32' | 'float64', optional: boolean): ValueMapping {
  return {
    schema: primitive(type, optional),
    convert: (text) => Number(checked(text, floatText, 'floating-point')),
    fallback: 0,
    unavailable: null,
  }
}

export function bool(optional: boolean): ValueMapping {
  return {
    schema: primitive('boolean', optional),
    convert: (text) => text === 't',
    fallback: false,
    unavailable: null,
  }
}

/**
 * numeric(p,s) and numeric. `precise` keeps the exact value (Decimal at the column scale,
 * or VariableScaleDecimal with trailing zeros stripped as Debezium does). NaN and ±Infinity
 * have no exact form: as Debezium (whose default event.converting.failure.handling.mode=warn
 * leaves a value it cannot convert null), a nullable column gets null and a NOT NULL one
 * fails naming the modes that can carry them; `string` writes Debezium's names for them
 * (NAN, POSITIVE_INFINITY, NEGATIVE_INFINITY), `double` the doubles.
 */
export function numeric(
  typmod: number,
  optional: boolean,
  options: MappingOptions,
  column: string,
): ValueMapping {
  const shape = numericPrecision(typmod)
  const mode = options.decimalHandlingMode
  const schema = decimalSchema(mode, shape?.precision, shape?.scale, { optional })
  const variable = shape === null && mode === 'precise'
  return {
    schema,
    convert(text) {
      const special = specialNumbers.get(text)
      if (special !== undefined) {
        if (mode === 'double') return Number(text)
        if (mode === 'string') return special
        if (optional) return null
        throw new CdcError(
          'CDC_ENVELOPE_INVALID_VALUE',
          `column ${column} holds ${text}, which decimal.handling.mode=precise cannot represent; set decimal.handling.mode=string or double`,
        )
      }
      let value = Decimal.parse(text)
      if (variable) value = stripTrailingZeros(value)
      return decimalValue(schema, value)
    },
    fallback:
      mode === 'double' ? 0 : mode === 'string' ? '0' : decimalValue(schema, new Decimal(0n, 0)),
    unavailable: null,
  }
}

function stripTrailingZeros(value: Decimal): Decimal {
  let { unscaled, scale } = value
  while (scale > 0 && unscaled % 10n === 0n) {
    unscaled /= 10n
    scale--
  }
  return new Decimal(unscaled, scale)
}

/**
 * money, written by the server as `-$1,234.56` under lc_monetary=C (pinned): a Decimal
 * at money.fraction.digits (no precision parameter, as Debezium), or double/string.
 */
export function money(optional: boolean, options: MappingOptions): ValueMapping {
  const mode = options.decimalHandlingMode
  const digits = options.moneyFractionDigits
  const schema =
    mode === 'precise'
      ? semantic.connectDecimal(digits, undefined, { optional })
      : primitive(mode === 'double' ? 'float64' : 'string', optional)
  const parse = (text: string): Decimal => {
    const negative = text.startsWith('-') || (text.startsWith('(') && text.endsWith(')'))
    const digitsOnly = text.replace(/[^0-9.]/g, '')
    const value = Decimal.parse(digitsOnly)
    return negative ? new Decimal(-value.unscaled, value.scale) : value
  }
  return {
    schema,
    convert(text) {
      const value = parse(text)
      if (mode === 'double') return value.toNumber()
      if (mode === 'string') return value.toString()
      return roundHalfUp(value, digits)
    },
    fallback: mode === 'precise' ? new Decimal(0n, digits) : mode === 'double' ? 0 : '0',
    unavailable: null,
  }
}

/** BigDecimal.setScale(scale, HALF_UP), for money.fraction.digits below the server's digits. */
function roundHalfUp(value: Decimal, scale: number): Decimal {
  if (scale >= value.scale) return value.rescale(scale)
  const divisor = 10n ** BigInt(value.scale - scale)
  const magnitude = value.unscaled < 0n ? -value.unscaled : value.unscaled
  const rounded = (magnitude + divisor / 2n) / divisor
  return new Decimal(value.unscaled < 0n ? -rounded : rounded, scale)
}
