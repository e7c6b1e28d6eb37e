// The bench table: 10 columns of mixed types, as the Postgres connector describes such a
// table, and synthetic change events over it.
import { sourceBlock } from '../../connectors/postgres/source-info.ts'
import type { RowChangeEvent } from '../../envelope/change-event.ts'
import { Decimal, type StructValue } from '../../envelope/connect-schema.ts'
import { connectDecimal, date, json, microTimestamp } from '../../envelope/semantic-types.ts'
import type { TableSchema } from '../../envelope/table-schema.ts'

export function benchTable(prefix: string): TableSchema {
  return {
    id: { database: 'bench', schema: 'public', table: 'bench' },
    topic: `${prefix}.public.bench`,
    columns: [
      { name: 'id', schema: { type: 'int32', optional: false }, sourceType: 'integer' },
      { name: 'i64', schema: { type: 'int64', optional: false }, sourceType: 'bigint' },
      { name: 'amount', schema: connectDecimal(2, 12), sourceType: 'numeric(12,2)' },
      { name: 'name', schema: { type: 'string', optional: false }, sourceType: 'varchar(40)' },
      { name: 'flag', schema: { type: 'boolean', optional: false }, sourceType: 'boolean' },
      { name: 'ts', schema: microTimestamp(), sourceType: 'timestamp' },
      { name: 'score', schema: { type: 'float64', optional: false }, sourceType: 'float8' },
      { name: 'doc', schema: json(), sourceType: 'jsonb' },
      { name: 'note', schema: { type: 'string', optional: true }, sourceType: 'text' },
      { name: 'day', schema: date(), sourceType: 'date' },
    ],
    keyColumns: ['id'],
  }
}

const baseMicros = 1_700_000_000_000_000n

/** Row `i`: a name of 30 characters, every other note null. */
export function benchRow(i: number): StructValue {
  return {
    id: i,
    i64: BigInt(i) * 1_000_003n,
    amount: new Decimal(BigInt((i * 7919) % 10_000_000_000), 2),
    name: `customer ${i.toString().padStart(10, '0')} abcdefghijk`,
    flag: i % 2 === 0,
    ts: baseMicros + BigInt(i) * 1_000_123n,
    score: i * 0.731,
    doc: `{"k":${i},"tags":["a","b"],"ok":true}`,
    note: i % 2 === 0 ? null : `note ${i}`,
    day: 19_000 + (i % 1_000),
  }
}

/** A streamed insert of row `i` in transaction `txId`, with a Postgres source block. */
export function benchInsert(table: TableSchema, i: number, txId: number): RowChangeEvent {
  const timeUs = baseMicros + BigInt(i)
  const lsn = 0x1000_0000n + BigInt(i) * 200n
  return {
    kind: 'row',
    op: 'c',
    table,
    before: null,
    after: benchRow(i),
    source: sourceBlock({
      version: '0.1.0',
      // A fixed name, so every mode writes records of the same size.
      name: 'bench',
      db: 'bench',
      timeUs,
      snapshot: 'false',
      lastCommitLsn: lsn - 200n,
      lsn,
      txId,
      schema: 'public',
      table: 'bench',
    }),
    tsMs: Date.now(),
  }
}
