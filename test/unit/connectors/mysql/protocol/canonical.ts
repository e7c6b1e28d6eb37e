// Canonical text of decoded binlog values, columns and events, in the form the hand-written
// fixture expectations (test/fixtures/binlog/*/<case>.json) use.
import { createHash } from 'node:crypto'
import { Decimal } from '../../../../../envelope/connect-schema.ts'
import {
  formatInet4,
  formatInet6,
  formatMariadbUuid,
} from '../../../../../connectors/mysql/protocol/binary-padding.ts'
import { ColumnType } from '../../../../../connectors/mysql/protocol/column-types.ts'
import type { ColumnValue } from '../../../../../connectors/mysql/protocol/column-value.ts'
import type { BinlogEvent } from '../../../../../connectors/mysql/protocol/events.ts'
import { jsonToText } from '../../../../../connectors/mysql/protocol/json-text.ts'
import type { ColumnInfo } from '../../../../../connectors/mysql/protocol/table-map.ts'
import {
  formatDate,
  formatDateTime,
  formatTime,
  formatTimestamp,
} from '../../../../../connectors/mysql/protocol/temporal.ts'

const utf8Collations = new Set([33, 45, 46, 76, 83, 192, 224, 255])
const latin1Collations = new Set([5, 8, 11, 15, 31, 47, 48, 49, 65, 94])

/** Without charset metadata (MySQL 5.7 binlogs) text is taken as UTF-8. */
export function decodeText(bytes: Buffer, collation: number | null): string {
  if (collation === null || utf8Collations.has(collation)) return bytes.toString('utf8')
  if (latin1Collations.has(collation)) return bytes.toString('latin1')
  throw new Error(`the test helper knows no charset for collation ${String(collation)}`)
}

/** Values over 64 bytes print as their length and a SHA-256 prefix. */
function bytesText(bytes: Buffer, text: () => string): string {
  if (bytes.length > 64) {
    return `len=${bytes.length} sha256=${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`
  }
  return text()
}

/** The shortest decimal that reads back as the same float32. */
export function float32Text(value: number): string {
  for (let digits = 1; digits <= 9; digits++) {
    const text = value.toPrecision(digits)
    if (Math.fround(Number(text)) === value) return String(Number(text))
  }
  return String(value)
}

function bitsText(bytes: Buffer, bits: number): string {
  return BigInt(`0x${bytes.toString('hex') || '0'}`)
    .toString(2)
    .padStart(bits, '0')
}

export type ColumnHint = 'uuid' | 'inet6' | 'inet4'

export function valueText(
  value: ColumnValue,
  column: ColumnInfo,
  hint?: ColumnHint,
): string | null {
  if (value === null) return null
  if (Buffer.isBuffer(value)) {
    if (hint === 'uuid') return formatMariadbUuid(value)
    if (hint === 'inet6') return formatInet6(value)
    if (hint === 'inet4') return formatInet4(value)
    if (column.realType === ColumnType.BIT) return bitsText(value, column.bits)
    if (column.collation === 63) return bytesText(value, () => `hex:${value.toString('hex')}`)
    return bytesText(value, () => decodeText(value, column.collation))
  }
  if (typeof value === 'bigint') {
    if (column.realType !== ColumnType.SET) return value.toString()
    const names = (column.setValues ?? []).filter((_, i) => (value >> BigInt(i)) & 1n)
    return names.map((name) => decodeText(name, column.collation)).join(',')
  }
  if (typeof value === 'number') {
    if (column.realType === ColumnType.FLOAT) return float32Text(value)
    if (column.realType === ColumnType.ENUM) {
      const name = value === 0 ? undefined : column.enumValues?.[value - 1]
      return name === undefined ? '' : decodeText(name, column.collation)
    }
    return String(value)
  }
  if (value instanceof Decimal) return value.toString()
  switch (value.kind) {
    case 'date':
      return formatDate(value)
    case 'datetime':
      return formatDateTime(value, column.fsp)
    case 'time':
      return formatTime(value, column.fsp)
    case 'timestamp':
      return formatTimestamp(value, column.fsp)
    case 'geometry':
      return `srid=${value.srid} wkb=${value.wkb.toString('hex')}`
    case 'json':
      return value.value === undefined ? '' : jsonToText(value.value)
  }
}

function literals(values: readonly Buffer[], collation: number | null): string {
  const texts = values.map((v) => decodeText(v, collation))
  return texts.length <= 5
    ? texts.join('|')
    : `${texts.length}[${texts[0] ?? ''}..${texts.at(-1) ?? ''}]`
}

export function columnText(column: ColumnInfo): string {
  let shape = ''
  switch (column.realType) {
    case ColumnType.NEWDECIMAL:
      shape = `(${column.precision},${column.scale})`
      break
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING:
    case ColumnType.STRING:
    case ColumnType.VARCHAR_COMPRESSED:
      shape = `(${column.maxLength})`
      break
    case ColumnType.TIME2:
    case ColumnType.DATETIME2:
    case ColumnType.TIMESTAMP2:
      shape = `(${column.fsp})`
      break
    case ColumnType.BIT:
      shape = `(${column.bits})`
      break
    case ColumnType.BLOB:
    case ColumnType.BLOB_COMPRESSED:
    case ColumnType.JSON:
    case ColumnType.GEOMETRY:
    case ColumnType.ENUM:
    case ColumnType.SET:
    case ColumnType.FLOAT:
    case ColumnType.DOUBLE:
      shape = `[${column.lengthBytes}]`
      break
  }
  const parts = [`${column.name ?? `@${column.index}`} ${column.typeName}${shape}`]
  if (column.unsigned !== null) parts.push(column.unsigned ? 'unsigned' : 'signed')
  parts.push(column.nullable ? 'null' : 'not null')
  if (column.collation !== null) parts.push(`collation=${column.collation}`)
  if (column.geometryType !== null) parts.push(`geometry=${column.geometryType}`)
  if (column.enumValues !== null)
    parts.push(`enum=${literals(column.enumValues, column.collation)}`)
  if (column.setValues !== null) parts.push(`set=${literals(column.setValues, column.collation)}`)
  return parts.join(' ')
}

/** One line per event; `rename` maps real table names to placeholders such as {t}. */
export function eventText(event: BinlogEvent, rename: (text: string) => string): string {
  const name = event.typeName ?? `type ${event.header.type}`
  if (event.kind === 'query' || event.kind === 'annotateRows')
    return `${name} ${rename(event.query)}`
  if (event.kind === 'tableMap') {
    return `${name} ${event.tableMap.database}.${rename(event.tableMap.table)}`
  }
  if (event.kind === 'rows') return `${name} rows=${event.rows.length}`
  if (event.kind === 'mariadbGtid') return `${name} flags=0x${event.gtidFlags.toString(16)}`
  if (event.kind === 'xaPrepare') return `${name} ${rename(event.gtrid.toString('utf8'))}`
  return name
}
