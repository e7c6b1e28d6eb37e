import type { ConnectSchema, ConnectValue } from '../../../envelope/connect-schema.ts'
import type {
  BigintUnsignedHandlingMode,
  DecimalHandlingMode,
  TimePrecisionMode,
} from '../../../envelope/value-modes.ts'
import type { ColumnValue } from '../protocol/index.ts'
import type { ColumnDef } from '../table-def.ts'

/** How one column's values become Connect values, from the binlog and from a snapshot. */
export interface ColumnMapping {
  schema: ConnectSchema
  /** The snapshot's select-list expression for the (quoted) column. */
  select(quotedName: string): string
  /** A decoded binlog value (never null: NULL is handled before). */
  fromBinlog(value: Exclude<ColumnValue, null>): ConnectValue
  /** The exact bytes the text protocol sent for a snapshot value (utf8mb4 for text). */
  fromText(bytes: Buffer): ConnectValue
}

export interface MappingOptions {
  decimalHandlingMode: DecimalHandlingMode
  timePrecisionMode: TimePrecisionMode
  bigintUnsignedHandlingMode: BigintUnsignedHandlingMode
}

/** What a family mapper gets: the column and the settings. */
export interface MappingInput {
  def: ColumnDef
  options: MappingOptions
  /** `database.table.column`, for messages. */
  label: string
}

export const plainSelect = (quotedName: string): string => quotedName

/** A Connect primitive schema without semantic name. */
export function primitive(
  type:
    'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'boolean' | 'string' | 'bytes',
  optional: boolean,
): ConnectSchema {
  return { type, optional }
}
