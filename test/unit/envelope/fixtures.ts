import type { RowChangeEvent } from '../../../envelope/change-event.ts'
import type { StructSchema, StructValue } from '../../../envelope/connect-schema.ts'
import { sourceSchema } from '../../../envelope/source-schema.ts'
import type { TableSchema } from '../../../envelope/table-schema.ts'

/** A Debezium 3.x PostgreSQL source block schema. */
export const pgSource: StructSchema = sourceSchema('io.debezium.connector.postgresql.Source', [
  { name: 'schema', schema: { type: 'string', optional: false } },
  { name: 'table', schema: { type: 'string', optional: false } },
  { name: 'txId', schema: { type: 'int64', optional: true } },
  { name: 'lsn', schema: { type: 'int64', optional: true } },
  { name: 'xmin', schema: { type: 'int64', optional: true } },
])

export function pgSourceValue(overrides: Partial<Record<string, StructValue[string]>> = {}) {
  return {
    version: '3.6.1.Final',
    connector: 'postgresql',
    name: 'srv',
    ts_ms: 1_700_000_000_000n,
    snapshot: 'false',
    db: 'shop',
    sequence: null,
    ts_us: 1_700_000_000_000_000n,
    ts_ns: 1_700_000_000_000_000_000n,
    schema: 'public',
    table: 'orders',
    txId: 771n,
    lsn: 24023128n,
    xmin: null,
    ...overrides,
  } as StructValue
}

const int64 = { type: 'int64', optional: false } as const

/** `orders (id bigint, region text, note text null, PRIMARY KEY (id, region))`. */
export const ordersTable: TableSchema = {
  id: { database: 'shop', schema: 'public', table: 'orders' },
  topic: 'srv.public.orders',
  columns: [
    { name: 'id', schema: int64, sourceType: 'int8' },
    { name: 'region', schema: { type: 'string', optional: false }, sourceType: 'text' },
    { name: 'note', schema: { type: 'string', optional: true }, sourceType: 'text' },
  ],
  keyColumns: ['id', 'region'],
}

/** The same table without a key. */
export const keylessTable: TableSchema = { ...ordersTable, topic: 'srv.public.log', keyColumns: [] }

export function rowEvent(
  op: RowChangeEvent['op'],
  before: StructValue | null,
  after: StructValue | null,
  table: TableSchema = ordersTable,
): RowChangeEvent {
  return {
    kind: 'row',
    op,
    table,
    before,
    after,
    tsMs: 1_700_000_000_123,
    source: { schema: pgSource, value: pgSourceValue() },
  }
}
