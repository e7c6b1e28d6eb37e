import { CdcError } from '../../../common/errors.ts'
import { ByteReader } from './byte-reader.ts'
import type { ColumnValue } from './column-value.ts'
import { readColumnValue } from './column-value.ts'
import { EventType } from './event-types.ts'
import type { EventBody, RowChange, RowImage, RowsEvent, RowsExtraData } from './events.ts'
import { inflateMariadbBlock } from './mariadb-compression.ts'
import type { TableMap } from './table-map.ts'
import { checkColumnCount } from './table-map.ts'

type Action = RowsEvent['action']

interface RowsKind {
  action: Action
  version: 1 | 2
  compressed: boolean
}

const kinds = new Map<number, RowsKind>([
  [EventType.WRITE_ROWS_EVENT_V1, { action: 'insert', version: 1, compressed: false }],
  [EventType.UPDATE_ROWS_EVENT_V1, { action: 'update', version: 1, compressed: false }],
  [EventType.DELETE_ROWS_EVENT_V1, { action: 'delete', version: 1, compressed: false }],
  [EventType.WRITE_ROWS_EVENT, { action: 'insert', version: 2, compressed: false }],
  [EventType.UPDATE_ROWS_EVENT, { action: 'update', version: 2, compressed: false }],
  [EventType.DELETE_ROWS_EVENT, { action: 'delete', version: 2, compressed: false }],
  [EventType.WRITE_ROWS_COMPRESSED_EVENT_V1, { action: 'insert', version: 1, compressed: true }],
  [EventType.UPDATE_ROWS_COMPRESSED_EVENT_V1, { action: 'update', version: 1, compressed: true }],
  [EventType.DELETE_ROWS_COMPRESSED_EVENT_V1, { action: 'delete', version: 1, compressed: true }],
  [EventType.WRITE_ROWS_COMPRESSED_EVENT, { action: 'insert', version: 2, compressed: true }],
  [EventType.UPDATE_ROWS_COMPRESSED_EVENT, { action: 'update', version: 2, compressed: true }],
  [EventType.DELETE_ROWS_COMPRESSED_EVENT, { action: 'delete', version: 2, compressed: true }],
])

export function isRowsEventType(type: number): boolean {
  return kinds.has(type)
}

export interface RowsLayout {
  tableIdSize: number
  /** The table map for a table id, or undefined when none was seen. */
  tableMap: (tableId: number) => TableMap | undefined
}

/** Row bitmaps run least significant bit first. */
function lsbBits(reader: ByteReader, count: number, what: string): boolean[] {
  const bytes = reader.bytes(Math.ceil(count / 8), what)
  const bits: boolean[] = []
  for (let i = 0; i < count; i++) bits.push(((bytes.readUInt8(i >>> 3) >>> (i & 7)) & 1) === 1)
  return bits
}

/** v2 extra data: TLVs of type 0 (NDB info: length-prefixed) or 1 (partition ids). */
function readExtraData(raw: Buffer, action: Action): RowsExtraData {
  const reader = new ByteReader(raw)
  const extra: RowsExtraData = { raw, partitionId: null, sourcePartitionId: null }
  while (!reader.atEnd()) {
    const type = reader.u8('an extra row info type')
    if (type === 0) {
      reader.skip(reader.u8('the NDB info length') - 1, 'the NDB info')
    } else if (type === 1) {
      extra.partitionId = reader.u16('a partition id')
      if (action === 'update') extra.sourcePartitionId = reader.u16('a source partition id')
    } else {
      throw new CdcError(
        'CDC_DECODE_INVALID',
        `the rows event has extra row info of unknown type ${type}`,
      )
    }
  }
  return extra
}

/**
 * One row image: a NULL bitmap over the *present* columns only, then the values of the
 * present, non-NULL columns in column order.
 */
function readImage(reader: ByteReader, table: TableMap, present: readonly boolean[]): RowImage {
  const presentCount = present.filter(Boolean).length
  const nulls = lsbBits(reader, presentCount, 'a NULL bitmap')
  const row: (ColumnValue | undefined)[] = new Array<ColumnValue | undefined>(present.length).fill(
    undefined,
  )
  let k = 0
  for (const column of table.columns) {
    if (present[column.index] !== true) continue
    if (nulls[k++] === true) {
      row[column.index] = null
      continue
    }
    try {
      row[column.index] = readColumnValue(reader, column)
    } catch (error) {
      if (!(error instanceof CdcError)) throw error
      throw new CdcError(
        error.code,
        `column ${column.name ?? `#${column.index}`} (${column.typeName}) of ${table.database}.${table.table}: ${error.message}`,
        { cause: error },
      )
    }
  }
  return row
}

/** Decodes a WRITE/UPDATE/DELETE rows event body (v1, v2, MariaDB compressed). */
export function decodeRowsEvent(
  type: number,
  body: ByteReader,
  layout: RowsLayout,
): EventBody<RowsEvent> {
  const kind = kinds.get(type)
  if (kind === undefined)
    throw new CdcError('CDC_DECODE_INVALID', `event type ${type} is not a rows event`)
  const tableId = body.uintLE(layout.tableIdSize, 'the table id')
  const flags = body.u16('the rows event flags')
  let extraData: RowsExtraData | null = null
  if (kind.version === 2) {
    const length = body.u16('the extra data length')
    if (length < 2)
      throw new CdcError('CDC_DECODE_INVALID', `the extra data length ${length} is below 2`)
    extraData = readExtraData(body.bytes(length - 2, 'the extra data'), kind.action)
  }
  const count = body.lenenc('the column count')
  const table = layout.tableMap(tableId)
  if (table === undefined) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `the rows event refers to table id ${tableId}, but no TABLE_MAP for it came before; start reading at a transaction boundary`,
    )
  }
  checkColumnCount(table, count)
  const columnsPresent = lsbBits(body, count, 'the columns-present bitmap')
  const columnsPresentAfter =
    kind.action === 'update' ? lsbBits(body, count, 'the after-image bitmap') : null
  const data = kind.compressed ? new ByteReader(inflateMariadbBlock(body.rest())) : body

  const rows: RowChange[] = []
  while (!data.atEnd()) {
    if (kind.action === 'insert') {
      rows.push({ before: null, after: readImage(data, table, columnsPresent) })
    } else if (kind.action === 'delete') {
      rows.push({ before: readImage(data, table, columnsPresent), after: null })
    } else {
      const before = readImage(data, table, columnsPresent)
      rows.push({ before, after: readImage(data, table, columnsPresentAfter ?? columnsPresent) })
    }
  }
  return {
    kind: 'rows',
    action: kind.action,
    version: kind.version,
    compressed: kind.compressed,
    tableId,
    flags,
    table,
    extraData,
    columnsPresent,
    columnsPresentAfter,
    rows,
  }
}
