import type { ConfigField } from '../connectors/plugin.ts'

/** The `connector.class` users register a join under through the admin API. */
export const joinConnectorClass = 'stream-table-join'

export const joinTypes = ['left', 'inner'] as const
export const outputFormats = ['avro', 'json'] as const

const field = (
  name: string,
  type: ConfigField['type'],
  group: string,
  doc: string,
  extra: Partial<ConfigField> = {},
): ConfigField => ({ name, type, required: false, importance: 'MEDIUM', group, doc, ...extra })

export const joinConfigDef: readonly ConfigField[] = [
  field('name', 'string', 'Join', 'Unique name of the join.', { importance: 'HIGH' }),
  field('connector.class', 'class', 'Join', `${joinConnectorClass}.`, {
    required: true,
    importance: 'HIGH',
  }),
  field(
    'stream.topic',
    'string',
    'Inputs',
    'Debezium change topic whose changes are enriched (e.g. the orders table). Only its records produce output.',
    { required: true, importance: 'HIGH' },
  ),
  field(
    'table.topic',
    'string',
    'Inputs',
    'Debezium change topic of the table joined in (e.g. customers), keyed by its primary key. Read in full into the local store; it must be compacted or kept forever, with min.compaction.lag.ms at least table.history.retention.ms.',
    { required: true, importance: 'HIGH' },
  ),
  field(
    'stream.foreign.key',
    'list',
    'Inputs',
    "Comma-separated columns of the stream row that hold the table's key, one per key field of the table records' Kafka key, in key order (e.g. customer_id). Deletes read it from the old row, so the stream table needs REPLICA IDENTITY FULL on PostgreSQL.",
    { required: true, importance: 'HIGH' },
  ),
  field(
    'join.type',
    'string',
    'Join',
    'left: every stream change is written, with a null table row when none matches. inner: stream changes without a matching table row are dropped (tombstones still pass).',
    { default: 'left', allowed: joinTypes, importance: 'HIGH' },
  ),
  field(
    'output.topic',
    'string',
    'Output',
    'Topic the enriched records are written to, keyed like the stream topic.',
    {
      required: true,
      importance: 'HIGH',
    },
  ),
  field(
    'output.format',
    'string',
    'Output',
    'json: a plain JSON document (int64 as exact numbers). avro: Confluent-framed Avro registered with the schema registry; needs schemas on both input topics.',
    { default: 'json', allowed: outputFormats },
  ),
  field(
    'idle.grace.ms',
    'long',
    'Timing',
    'How long a stream change waits for a table partition that has no newer change but is read to its end, before that partition counts as caught up.',
    { default: '1000' },
  ),
  field(
    'max.wait.ms',
    'long',
    'Timing',
    'Longest wait for the table side; then the change is written with tableRef.synced=false (status timeout if no version was visible).',
    { default: '30000' },
  ),
  field(
    'table.history.retention.ms',
    'long',
    'State',
    'How far back (by source.ts_ms) table versions are kept for as-of lookups; older stream changes get status expired when their version was pruned.',
    { default: String(7 * 24 * 60 * 60 * 1000) },
  ),
  field(
    'transaction.topic',
    'string',
    'Timing',
    "Debezium's transaction metadata topic (<topic.prefix>.transaction, needs provide.transaction.metadata=true on the source). When set, a stream change is released as soon as its transaction's END record has been read and all the table changes it counts are applied, without waiting for idle.grace.ms.",
  ),
  field(
    'state.dir',
    'string',
    'State',
    'Directory of the local LMDB table replica; one per join. An empty directory is rebuilt from the table topic.',
    {
      required: true,
      importance: 'HIGH',
    },
  ),
]
