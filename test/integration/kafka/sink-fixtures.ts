// A small captured table and events over it, shared by the sink's integration tests.
import type { RowChangeEvent, TruncateEvent } from '../../../envelope/change-event.ts'
import { Decimal, type StructSchema, type StructValue } from '../../../envelope/connect-schema.ts'
import { sourceSchema } from '../../../envelope/source-schema.ts'
import { connectDecimal } from '../../../envelope/semantic-types.ts'
import type { ColumnSchema, TableSchema } from '../../../envelope/table-schema.ts'

export const testSource: StructSchema = sourceSchema('io.cdc.test.Source', [
  { name: 'table', schema: { type: 'string', optional: false } },
  { name: 'lsn', schema: { type: 'int64', optional: true } },
])

export const baseColumns: ColumnSchema[] = [
  { name: 'id', schema: { type: 'int32', optional: false }, sourceType: 'integer' },
  { name: 'name', schema: { type: 'string', optional: true }, sourceType: 'text' },
  {
    name: 'balance',
    schema: connectDecimal(2, 10, { optional: true }),
    sourceType: 'numeric(10,2)',
  },
  { name: 'big', schema: { type: 'int64', optional: true }, sourceType: 'bigint' },
]

export function customersTable(topic: string, extra: ColumnSchema[] = []): TableSchema {
  return {
    id: { database: 'shop', schema: 'public', table: 'customers' },
    topic,
    columns: [...baseColumns, ...extra],
    keyColumns: ['id'],
  }
}

/** A row; `big` defaults to a value JS numbers hold, which the standard Confluent client needs. */
export function row(id: number, name: string, extra: StructValue = {}): StructValue {
  return {
    id,
    name,
    balance: Decimal.parse('-12345678.90'),
    big: 42n,
    ...extra,
  }
}

export function rowEvent(
  table: TableSchema,
  op: RowChangeEvent['op'],
  before: StructValue | null,
  after: StructValue | null,
  lsn: bigint,
): RowChangeEvent {
  return {
    kind: 'row',
    op,
    table,
    before,
    after,
    source: {
      schema: testSource,
      value: {
        version: 'test',
        connector: 'test',
        name: 'shop',
        ts_ms: 1_700_000_000_000n,
        snapshot: op === 'r' ? 'true' : 'false',
        db: 'shop',
        sequence: null,
        ts_us: null,
        ts_ns: null,
        table: 'customers',
        lsn,
      },
    },
    tsMs: 1_700_000_000_123,
  }
}

export function truncateEvent(table: TableSchema, lsn: bigint): TruncateEvent {
  const event = rowEvent(table, 'c', null, null, lsn)
  return { kind: 'truncate', op: 't', table, source: event.source, tsMs: event.tsMs }
}
