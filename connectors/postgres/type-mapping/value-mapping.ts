import type { ConnectSchema, ConnectValue } from '../../../envelope/connect-schema.ts'
import type { DecimalMode, TimePrecisionMode } from '../config.ts'

/** How one column's server text becomes a Connect value. */
export interface ValueMapping {
  /** The column's schema, optional when the column is nullable. */
  schema: ConnectSchema
  /** Converts the server's text (never null: SQL NULL is handled by the caller). */
  convert(text: string): ConnectValue
  /**
   * What Debezium puts in a required field the source did not send (non-key columns of a
   * key-only old tuple): the type's zero, as its converters' fallback values.
   */
  fallback: ConnectValue
  /**
   * Debezium's `unavailable.value.placeholder` in this column's representation, for an
   * unchanged TOASTed value; null when the type has none.
   */
  unavailable: ConnectValue | null
}

export interface MappingOptions {
  decimalHandlingMode: DecimalMode
  timePrecisionMode: TimePrecisionMode
  moneyFractionDigits: number
}

/** Debezium's default `unavailable.value.placeholder`. */
export const unavailablePlaceholder = '__debezium_unavailable_value'
export const unavailableBytes = new TextEncoder().encode(unavailablePlaceholder)

export function primitive(type: ConnectSchema['type'], optional: boolean): ConnectSchema {
  if (type === 'array' || type === 'map' || type === 'struct') throw new TypeError(type)
  return { type, optional }
}

/** A mapping whose value is the server text itself. */
export function textMapping(schema: ConnectSchema): ValueMapping {
  return { schema, convert: (text) => text, fallback: '', unavailable: unavailablePlaceholder }
}
