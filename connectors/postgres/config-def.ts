import type { ConfigField } from '../plugin.ts'

/** The values each enumerated setting accepts, shared by the field list and the parser. */
export const sslModes = [
  'disable',
  'allow',
  'prefer',
  'require',
  'verify-ca',
  'verify-full',
] as const
export const pluginNames = ['pgoutput'] as const
export const autocreateModes = ['all_tables', 'disabled', 'filtered', 'no_tables'] as const
export const snapshotModes = [
  'initial',
  'always',
  'initial_only',
  'no_data',
  'never',
  'when_needed',
] as const
export const decimalModes = ['precise', 'string', 'double'] as const
export const timePrecisionModes = ['adaptive', 'adaptive_time_microseconds', 'connect'] as const

export const connectorClass = 'io.debezium.connector.postgresql.PostgresConnector'
export const connectorAliases = ['postgres'] as const

const field = (
  name: string,
  type: ConfigField['type'],
  group: string,
  doc: string,
  extra: Partial<ConfigField> = {},
): ConfigField => ({ name, type, required: false, importance: 'MEDIUM', group, doc, ...extra })

const filterDoc = (what: string, against: string, other: string): string =>
  `Comma-separated regular expressions matched (whole name, case-insensitive) against ${against}; ${what}. Cannot be combined with ${other}.`

/** Debezium's property names, types and defaults, except where the doc says otherwise. */
export const configDef: readonly ConfigField[] = [
  field('name', 'string', 'Connector', 'Unique name of the connector.', { importance: 'HIGH' }),
  field('connector.class', 'class', 'Connector', `${connectorClass} (alias: postgres).`, {
    required: true,
    importance: 'HIGH',
  }),
  field('database.hostname', 'string', 'Connection', 'PostgreSQL server host name or address.', {
    required: true,
    importance: 'HIGH',
  }),
  field('database.port', 'int', 'Connection', 'PostgreSQL server port.', {
    default: '5432',
    importance: 'HIGH',
  }),
  field('database.user', 'string', 'Connection', 'Role with REPLICATION and SELECT privileges.', {
    required: true,
    importance: 'HIGH',
  }),
  field('database.password', 'password', 'Connection', 'Password of database.user.', {
    importance: 'HIGH',
  }),
  field('database.dbname', 'string', 'Connection', 'Database to capture changes from.', {
    required: true,
    importance: 'HIGH',
  }),
  field(
    'database.sslmode',
    'string',
    'Connection',
    'disable, allow (plain first, then TLS), prefer (TLS first, then plain), require (TLS without certificate checks), verify-ca, verify-full.',
    { default: 'prefer', allowed: sslModes },
  ),
  field(
    'topic.prefix',
    'string',
    'Connector',
    'Prefix of every topic name (<topic.prefix>.<schema>.<table>) and the source.name field.',
    { required: true, importance: 'HIGH' },
  ),
  field(
    'schema.include.list',
    'list',
    'Filters',
    filterDoc('only matching schemas are captured', 'schema names', 'schema.exclude.list'),
  ),
  field(
    'schema.exclude.list',
    'list',
    'Filters',
    filterDoc('matching schemas are not captured', 'schema names', 'schema.include.list'),
  ),
  field(
    'table.include.list',
    'list',
    'Filters',
    filterDoc('only matching tables are captured', '<schema>.<table>', 'table.exclude.list'),
  ),
  field(
    'table.exclude.list',
    'list',
    'Filters',
    filterDoc('matching tables are not captured', '<schema>.<table>', 'table.include.list'),
  ),
  field(
    'column.include.list',
    'list',
    'Filters',
    filterDoc(
      'only matching columns are emitted (key columns always are)',
      '<schema>.<table>.<column>',
      'column.exclude.list',
    ),
  ),
  field(
    'column.exclude.list',
    'list',
    'Filters',
    filterDoc(
      'matching columns are not emitted (key columns always are)',
      '<schema>.<table>.<column>',
      'column.include.list',
    ),
  ),
  field(
    'plugin.name',
    'string',
    'Replication',
    'Logical decoding output plugin. Only pgoutput is supported (Debezium defaults to decoderbufs).',
    { default: 'pgoutput', allowed: pluginNames },
  ),
  field(
    'slot.name',
    'string',
    'Replication',
    'Logical replication slot of this connector: lower-case letters, digits and underscores.',
    { default: 'debezium' },
  ),
  field(
    'slot.drop.on.stop',
    'boolean',
    'Replication',
    'Drop the slot (and an autocreated publication) when the connector is deleted. The slot is what keeps changes for a later restart, so only use for tests and throwaway connectors.',
    { default: 'false' },
  ),
  field('publication.name', 'string', 'Replication', 'Publication to stream from.', {
    default: 'dbz_publication',
  }),
  field(
    'publication.autocreate.mode',
    'string',
    'Replication',
    'all_tables: create FOR ALL TABLES when missing (superuser). disabled: the publication must exist. filtered: create or update FOR TABLE <the captured tables> at each start (table ownership). no_tables: create an empty publication when missing; tables are added by the DBA.',
    { default: 'all_tables', allowed: autocreateModes },
  ),
  field(
    'snapshot.mode',
    'string',
    'Snapshot',
    'initial: snapshot when there is no completed snapshot, then stream. always: snapshot at every start. initial_only: snapshot, then stop. no_data (alias never): stream only. when_needed: like initial, and snapshot again when the stored position is no longer available in the slot.',
    { default: 'initial', allowed: snapshotModes },
  ),
  field(
    'snapshot.fetch.size',
    'int',
    'Snapshot',
    'Rows fetched per round trip while snapshotting.',
    {
      default: '10240',
    },
  ),
  field(
    'tombstones.on.delete',
    'boolean',
    'Events',
    'Follow each delete event with a tombstone (null value) for log compaction.',
    { default: 'true' },
  ),
  field(
    'heartbeat.interval.ms',
    'int',
    'Events',
    'How often an idle or filtered stream confirms the server WAL position, so that the slot does not hold WAL; 0 turns it off. Unlike Debezium (default 0) this is on by default.',
    { default: '10000' },
  ),
  field(
    'heartbeat.action.query',
    'string',
    'Events',
    'SQL run on each heartbeat, e.g. an upsert into a published heartbeat table, so that a database with no captured changes still produces commits.',
  ),
  field(
    'decimal.handling.mode',
    'string',
    'Types',
    'precise: numeric as Decimal (NaN and Infinity become null); string; double.',
    { default: 'precise', allowed: decimalModes },
  ),
  field(
    'time.precision.mode',
    'string',
    'Types',
    'adaptive: precision of the column (ms or µs); adaptive_time_microseconds: time always µs; connect: Kafka Connect logical types (ms).',
    { default: 'adaptive', allowed: timePrecisionModes },
  ),
  field('money.fraction.digits', 'int', 'Types', 'Scale of money values as decimals.', {
    default: '2',
    importance: 'LOW',
  }),
  field(
    'provide.transaction.metadata',
    'boolean',
    'Events',
    'Add the transaction block (id, total_order, data_collection_order) to every event, and write BEGIN and END records (with event counts per table) to <topic.prefix>.transaction.',
    { default: 'false' },
  ),
  field(
    'message.key.columns',
    'string',
    'Events',
    'Custom keys: <schema.table regex>:<column>,<column>;... replaces the primary key as record key.',
  ),
]

/**
 * Debezium properties accepted and ignored because this connector's behaviour already is
 * what they would ask for or they tune machinery it does not have.
 */
export const ignoredDebeziumKeys: readonly string[] = [
  'database.server.name', // replaced by topic.prefix in Debezium 2
  'max.queue.size', // the sink's backpressure replaces Debezium's queue
  'max.batch.size',
  'poll.interval.ms',
  'snapshot.max.threads', // one snapshot reader
  'status.update.interval.ms', // status updates go out on our own interval
  'include.unknown.datatypes', // unknown types are captured as text
]
