import type { StructValue } from '../../envelope/connect-schema.ts'
import type { SourceBlock } from '../../envelope/change-event.ts'
import { sourceSchema, type SnapshotMarker } from '../../envelope/source-schema.ts'
import type { Lsn } from './lsn.ts'

/** io.debezium.connector.postgresql.Source as Debezium 2.6–3.4 builds it (no origin fields). */
export const postgresSourceSchema = sourceSchema('io.debezium.connector.postgresql.Source', [
  { name: 'schema', schema: { type: 'string', optional: false } },
  { name: 'table', schema: { type: 'string', optional: false } },
  { name: 'txId', schema: { type: 'int64', optional: true } },
  { name: 'lsn', schema: { type: 'int64', optional: true } },
  { name: 'xmin', schema: { type: 'int64', optional: true } },
])

export interface SourceFacts {
  version: string
  /** topic.prefix */
  name: string
  db: string
  /** Commit time (stream) or read time (snapshot), µs since the epoch. */
  timeUs: bigint
  snapshot: SnapshotMarker
  /** End LSN of the previous commit, for `sequence`; null when unknown. */
  lastCommitLsn: Lsn | null
  lsn: Lsn | null
  txId: number | null
  schema: string
  table: string
}

/**
 * The source block. `sequence` is Debezium's JSON array of the last commit LSN and this
 * event's LSN as decimal strings. Debezium leaves `snapshot` unset for streamed events and
 * Connect then reads the field's default, "false"; we write that value.
 */
export function sourceBlock(facts: SourceFacts): SourceBlock {
  const value: StructValue = {
    version: facts.version,
    connector: 'postgresql',
    name: facts.name,
    ts_ms: facts.timeUs / 1000n,
    snapshot: facts.snapshot,
    db: facts.db,
    sequence: JSON.stringify([
      facts.lastCommitLsn === null ? null : facts.lastCommitLsn.toString(),
      facts.lsn === null ? null : facts.lsn.toString(),
    ]),
    ts_us: facts.timeUs,
    ts_ns: facts.timeUs * 1000n,
    schema: facts.schema,
    table: facts.table,
    txId: facts.txId === null ? null : BigInt(facts.txId),
    lsn: facts.lsn,
    xmin: null,
  }
  return { schema: postgresSourceSchema, value }
}
