import { avroCodecFor } from '../../../envelope/avro-codec.ts'
import type { ChangeEvent, RowChangeEvent } from '../../../envelope/change-event.ts'
import type { ChangeRecord, Payload } from '../../../envelope/change-record.ts'
import type { StructValue } from '../../../envelope/connect-schema.ts'
import { buildChangeRecords } from '../../../envelope/debezium-envelope.ts'
import { toConnectJson } from '../../../envelope/json-format.ts'
import { connectDecimal } from '../../../envelope/semantic-types.ts'
import { sourceSchema } from '../../../envelope/source-schema.ts'
import type { TableSchema } from '../../../envelope/table-schema.ts'
import { sourceBlock } from '../../../connectors/postgres/source-info.ts'
import { frame } from '../../../registry/wire-format.ts'
import type { ConsumedRecord } from '../../../enrichment/change-input.ts'

/** Change records built with the same envelope code our connectors and sink use. */

const int64 = { type: 'int64', optional: false } as const

export const customersTable: TableSchema = {
  id: { database: 'shop', schema: 'public', table: 'customers' },
  topic: 'srv.public.customers',
  columns: [
    { name: 'id', schema: int64, sourceType: 'int8' },
    { name: 'name', schema: { type: 'string', optional: true }, sourceType: 'text' },
    {
      name: 'credit',
      schema: connectDecimal(2, 10, { optional: true }),
      sourceType: 'numeric(10,2)',
    },
  ],
  keyColumns: ['id'],
}

export const ordersTable: TableSchema = {
  id: { database: 'shop', schema: 'public', table: 'orders' },
  topic: 'srv.public.orders',
  columns: [
    { name: 'id', schema: int64, sourceType: 'int8' },
    { name: 'customer_id', schema: { type: 'int64', optional: true }, sourceType: 'int8' },
    { name: 'note', schema: { type: 'string', optional: true }, sourceType: 'text' },
  ],
  keyColumns: ['id'],
}

export interface PgAt {
  lastCommit: bigint | null
  lsn: bigint
  txId?: number
  snapshot?: boolean
}

export function pgEvent(
  table: TableSchema,
  op: RowChangeEvent['op'],
  before: StructValue | null,
  after: StructValue | null,
  at: PgAt,
): RowChangeEvent {
  return {
    kind: 'row',
    op,
    table,
    before,
    after,
    tsMs: 1_700_000_000_500,
    source: sourceBlock({
      version: '3.4.0.Final',
      name: 'srv',
      db: 'shop',
      timeUs: 1_700_000_000_000_000n,
      snapshot: at.snapshot === true ? 'true' : 'false',
      lastCommitLsn: at.lastCommit,
      lsn: at.lsn,
      txId: at.txId ?? 771,
      schema: table.id.schema,
      table: table.id.table,
    }),
  }
}

export const mysqlSourceSchema = sourceSchema('io.debezium.connector.mysql.Source', [
  { name: 'table', schema: { type: 'string', optional: true } },
  { name: 'server_id', schema: int64 },
  { name: 'gtid', schema: { type: 'string', optional: true } },
  { name: 'file', schema: { type: 'string', optional: false } },
  { name: 'pos', schema: int64 },
  { name: 'row', schema: { type: 'int32', optional: false } },
  { name: 'thread', schema: { type: 'int64', optional: true } },
  { name: 'query', schema: { type: 'string', optional: true } },
])

export function mysqlEvent(
  table: TableSchema,
  op: RowChangeEvent['op'],
  before: StructValue | null,
  after: StructValue | null,
  at: { file: string; pos: bigint; row: number; gtid?: string; snapshot?: string },
): RowChangeEvent {
  return {
    kind: 'row',
    op,
    table,
    before,
    after,
    tsMs: 1_700_000_000_500,
    source: {
      schema: mysqlSourceSchema,
      value: {
        version: '3.4.0.Final',
        connector: 'mysql',
        name: 'srv',
        ts_ms: 1_700_000_000_000n,
        snapshot: at.snapshot ?? 'false',
        db: 'shop',
        sequence: null,
        ts_us: null,
        ts_ns: null,
        table: table.id.table,
        server_id: 1n,
        gtid: at.gtid ?? null,
        file: at.file,
        pos: at.pos,
        row: at.row,
        thread: null,
        query: null,
      },
    },
  }
}

export type Format = 'json-schema' | 'json-plain' | 'avro'

/** A registry in a Map: ids in registration order, as schemaById needs them. */
export class FakeRegistry {
  readonly texts: string[] = []

  idOf(payload: Payload): number {
    const text = avroCodecFor(payload.schema).avroSchemaText
    const found = this.texts.indexOf(text)
    if (found >= 0) return found + 1
    this.texts.push(text)
    return this.texts.length
  }

  schemaById = (id: number): Promise<string> => {
    const text = this.texts[id - 1]
    return text === undefined ? Promise.reject(new Error(`no schema ${id}`)) : Promise.resolve(text)
  }
}

export function encodePart(
  payload: Payload | null,
  format: Format,
  registry: FakeRegistry,
): Buffer | null {
  if (payload === null) return null
  if (format === 'avro')
    return frame(registry.idOf(payload), avroCodecFor(payload.schema).encode(payload.value))
  return toConnectJson(payload, { schemasEnable: format === 'json-schema' })
}

/** The consumed records of one event, at consecutive offsets from `offset`. */
export function consumed(
  event: ChangeEvent,
  format: Format,
  registry: FakeRegistry,
  offset = 0n,
  partition = 0,
): ConsumedRecord[] {
  return buildChangeRecords(event).map((record: ChangeRecord, index) => ({
    topic: record.topic,
    partition,
    offset: offset + BigInt(index),
    key: encodePart(record.key, format, registry),
    value: encodePart(record.value, format, registry),
  }))
}
