import { createHash } from 'node:crypto'
import type { ConnectValue, StructSchema, StructValue } from '../envelope/connect-schema.ts'
import type { RowChangeInput } from './change-input.ts'
import { positionText } from './commit-position.ts'
import type { TableStore } from './table-store.ts'
import { keyValues, tableKeyText } from './table-key.ts'

/** What the join writes for one stream change (rules 3 and 4). */

export const tableStatuses = [
  'found',
  'absent',
  'deleted',
  'timeout',
  'unknown-fk',
  'expired',
] as const
export type TableStatus = (typeof tableStatuses)[number]

export interface TableRef {
  /** The foreign key, by stream column name; null when the change carries none. */
  key: StructValue | null
  /** Position of the table version used; null when none was. */
  pos: string | null
  status: TableStatus
  /** False when released by max.wait.ms before the table side was known to be complete. */
  synced: boolean
  /** On updates that changed the foreign key: the old one. */
  previousKey: StructValue | null
}

export interface EnrichedValue {
  op: RowChangeInput['op']
  stream: { before: StructValue | null; after: StructValue | null }
  table: StructValue | null
  tableRef: TableRef
  source: { pos: string; topic: string; partition: number; offset: bigint }
  /** Same for re-deliveries of one change: hash of (stream key, position, op). */
  eventId: string
}

export interface EnrichedRecord {
  kind: 'record'
  /** The stream partition and offset the record answers. */
  partition: number
  offset: bigint
  /** The stream record's key bytes, unchanged. */
  key: Uint8Array | null
  value: EnrichedValue
  /** For Avro output (output-record.ts); null when the input was JSON without schemas. */
  streamRowSchema: StructSchema | null
  tableRowSchema: StructSchema | null
}

export interface TombstoneRecord {
  kind: 'tombstone'
  partition: number
  offset: bigint
  key: Uint8Array | null
}

export type JoinOutput = EnrichedRecord | TombstoneRecord

/** The enriched value of a released stream change; `synced` says how it was released. */
export function enrich(
  input: RowChangeInput,
  store: TableStore,
  foreignKey: readonly string[],
  synced: boolean,
): EnrichedValue {
  const current = foreignKeyOf(input.op === 'd' ? input.before : input.after, foreignKey)
  const previous = input.op === 'u' ? foreignKeyOf(input.before, foreignKey) : null
  const tableRef: TableRef = {
    key: current?.struct ?? null,
    pos: null,
    status: 'unknown-fk',
    synced,
    previousKey: previous !== null && previous.text !== current?.text ? previous.struct : null,
  }
  let table: StructValue | null = null
  if (current !== null) {
    const version = store.asOf(current.text, input.pos)
    if (version !== undefined) {
      table = version.row
      tableRef.pos = positionText(version.pos)
      tableRef.status = version.row === null ? 'deleted' : 'found'
    } else {
      const horizon = store.horizonMs()
      if (horizon !== null && input.tsMs <= horizon) tableRef.status = 'expired'
      else tableRef.status = synced ? 'absent' : 'timeout'
    }
  }
  const pos = positionText(input.pos)
  return {
    op: input.op,
    stream: { before: input.before, after: input.after },
    table,
    tableRef,
    source: { pos, topic: input.topic, partition: input.partition, offset: input.offset },
    eventId: eventId(input, pos),
  }
}

function foreignKeyOf(
  row: StructValue | null,
  columns: readonly string[],
): { struct: StructValue; text: string } | null {
  if (row === null) return null
  const values: ConnectValue[] = []
  for (const column of columns) {
    const value = row[column]
    if (value === null || value === undefined) return null
    values.push(value)
  }
  return {
    struct: Object.fromEntries(columns.map((column, index) => [column, values[index] ?? null])),
    text: tableKeyText(values),
  }
}

function eventId(input: RowChangeInput, pos: string): string {
  const key =
    input.keyValue === null ? 'null' : tableKeyText(keyValues(input.keyValue, input.keySchema))
  return createHash('sha256').update(`${key}\n${pos}\n${input.op}`).digest('hex').slice(0, 32)
}
