import { CdcError } from '../common/errors.ts'

/**
 * Avro allows only `[A-Za-z_][A-Za-z0-9_]*` in record and field names (dots separate
 * namespace parts). Debezium passes table and column names through unchanged unless
 * `schema.name.adjustment.mode` / `field.name.adjustment.mode` is `avro`, and Confluent's
 * AvroConverter then fails; these helpers give the same names Debezium's `avro` mode does.
 */

const validName = /^[A-Za-z_][A-Za-z0-9_]*$/

export function isValidAvroName(name: string): boolean {
  return validName.test(name)
}

export function checkAvroName(name: string, what: string, where: string): void {
  if (isValidAvroName(name)) return
  throw new CdcError(
    'CDC_ENVELOPE_INVALID_NAME',
    `${what} ${JSON.stringify(name)} in ${where} is not a valid Avro name (letters, digits and ` +
      '_ only, not starting with a digit). Set schema.name.adjustment.mode=avro and ' +
      'field.name.adjustment.mode=avro, rename the table or column, or use the JSON format',
    { details: { name, where } },
  )
}

/** Debezium's `avro` adjustment for a full schema name (dots kept). */
export function adjustAvroFullName(name: string): string {
  return adjust(name, /[A-Za-z0-9_.]/)
}

/** Debezium's `avro` adjustment for a field name. */
export function adjustAvroFieldName(name: string): string {
  return adjust(name, /[A-Za-z0-9_]/)
}

// Like Debezium, this walks UTF-16 units, and keeps a leading digit after the underscore so
// that `1a` and `2a` stay distinct.
function adjust(name: string, allowed: RegExp): string {
  let result = ''
  for (const [index, char] of name.split('').entries()) {
    if (index === 0 && !/[A-Za-z_]/.test(char)) {
      result += /[0-9]/.test(char) ? `_${char}` : '_'
    } else {
      result += allowed.test(char) ? char : '_'
    }
  }
  return result
}
