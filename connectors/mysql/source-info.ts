import type { SourceBlock } from '../../envelope/change-event.ts'
import type { StructSchema, StructValue } from '../../envelope/connect-schema.ts'
import { sourceSchema, type SnapshotMarker } from '../../envelope/source-schema.ts'
import type { Flavor } from './config-def.ts'

const binlogFields = [
  { name: 'table', schema: { type: 'string', optional: true } },
  { name: 'server_id', schema: { type: 'int64', optional: false } },
  { name: 'gtid', schema: { type: 'string', optional: true } },
  { name: 'file', schema: { type: 'string', optional: false } },
  { name: 'pos', schema: { type: 'int64', optional: false } },
  { name: 'row', schema: { type: 'int32', optional: false } },
  { name: 'thread', schema: { type: 'int64', optional: true } },
  { name: 'query', schema: { type: 'string', optional: true } },
] as const

/** io.debezium.connector.mysql.Source and io.debezium.connector.mariadb.Source (same fields). */
export const sourceSchemas: Readonly<Record<Flavor, StructSchema>> = {
  mysql: sourceSchema('io.debezium.connector.mysql.Source', binlogFields),
  mariadb: sourceSchema('io.debezium.connector.mariadb.Source', binlogFields),
}

export interface SourceFacts {
  flavor: Flavor
  version: string
  /** topic.prefix */
  name: string
  /** Commit time (stream) or read time (snapshot), µs since the epoch. */
  timeUs: bigint
  snapshot: SnapshotMarker
  db: string
  table: string | null
  /** The server that wrote the event (0 in snapshots). */
  serverId: number
  gtid: string | null
  file: string
  /** Start of the rows event in `file` (the snapshot's binlog position for reads). */
  pos: number
  /** The row's index in its rows event. */
  row: number
  thread: number | null
  query: string | null
}

/**
 * The source block. Debezium leaves `snapshot` unset for streamed events and Connect then
 * reads the field's default, "false"; we write that value. `sequence` is unused by MySQL.
 */
export function sourceBlock(facts: SourceFacts): SourceBlock {
  const value: StructValue = {
    version: facts.version,
    connector: facts.flavor,
    name: facts.name,
    ts_ms: facts.timeUs / 1000n,
    snapshot: facts.snapshot,
    db: facts.db,
    sequence: null,
    ts_us: facts.timeUs,
    ts_ns: facts.timeUs * 1000n,
    table: facts.table,
    server_id: BigInt(facts.serverId),
    gtid: facts.gtid,
    file: facts.file,
    pos: BigInt(facts.pos),
    row: facts.row,
    thread: facts.thread === null ? null : BigInt(facts.thread),
    query: facts.query,
  }
  return { schema: sourceSchemas[facts.flavor], value }
}
