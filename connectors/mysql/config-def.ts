import type { ConfigField } from '../plugin.ts'

/** The values each enumerated setting accepts, shared by the field list and the parser. */
export const sslModes = [
  'disabled',
  'preferred',
  'required',
  'verify_ca',
  'verify_identity',
] as const
export const snapshotModes = [
  'initial',
  'initial_only',
  'always',
  'when_needed',
  'no_data',
  'schema_only',
  'never',
] as const
export const snapshotLockingModes = ['minimal', 'none'] as const
export const decimalModes = ['precise', 'double', 'string'] as const
export const timePrecisionModes = ['adaptive_time_microseconds', 'adaptive', 'connect'] as const
export const bigintUnsignedModes = ['long', 'precise'] as const

export const flavors = ['mysql', 'mariadb'] as const
export type Flavor = (typeof flavors)[number]

/** Debezium's class per flavor; the short alias is the flavor itself. */
export const connectorClasses: Readonly<Record<Flavor, string>> = {
  mysql: 'io.debezium.connector.mysql.MySqlConnector',
  mariadb: 'io.debezium.connector.mariadb.MariaDbConnector',
}

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
export function configDefFor(flavor: Flavor): readonly ConfigField[] {
  const server = flavor === 'mysql' ? 'MySQL' : 'MariaDB'
  return [
    field('name', 'string', 'Connector', 'Unique name of the connector.', { importance: 'HIGH' }),
    field(
      'connector.class',
      'class',
      'Connector',
      `${connectorClasses[flavor]} (alias: ${flavor}).`,
      { required: true, importance: 'HIGH' },
    ),
    field('database.hostname', 'string', 'Connection', `${server} server host name or address.`, {
      required: true,
      importance: 'HIGH',
    }),
    field('database.port', 'int', 'Connection', `${server} server port.`, {
      default: '3306',
      importance: 'HIGH',
    }),
    field(
      'database.user',
      'string',
      'Connection',
      flavor === 'mysql'
        ? 'User with REPLICATION SLAVE, REPLICATION CLIENT, SELECT and (for snapshot.locking.mode=minimal) RELOAD.'
        : 'User with REPLICATION SLAVE, BINLOG MONITOR (REPLICATION CLIENT) and SELECT.',
      { required: true, importance: 'HIGH' },
    ),
    field('database.password', 'password', 'Connection', 'Password of database.user.', {
      importance: 'HIGH',
    }),
    field(
      'database.server.id',
      'long',
      'Connection',
      'Server id this connector registers with as a replica: non-zero and different from the server and from every other replica and connector (a second connection with the same id makes the server drop the first).',
      { required: true, importance: 'HIGH' },
    ),
    field(
      'database.ssl.mode',
      'string',
      'Connection',
      'disabled, preferred (TLS when the server offers it, else plain), required (TLS without certificate checks), verify_ca, verify_identity.',
      { default: 'preferred', allowed: sslModes },
    ),
    field(
      'topic.prefix',
      'string',
      'Connector',
      'Prefix of every topic name (<topic.prefix>.<database>.<table>), the schema change topic itself and the source.name field.',
      { required: true, importance: 'HIGH' },
    ),
    field(
      'database.include.list',
      'list',
      'Filters',
      filterDoc('only matching databases are captured', 'database names', 'database.exclude.list'),
    ),
    field(
      'database.exclude.list',
      'list',
      'Filters',
      filterDoc('matching databases are not captured', 'database names', 'database.include.list'),
    ),
    field(
      'table.include.list',
      'list',
      'Filters',
      filterDoc('only matching tables are captured', '<database>.<table>', 'table.exclude.list'),
    ),
    field(
      'table.exclude.list',
      'list',
      'Filters',
      filterDoc('matching tables are not captured', '<database>.<table>', 'table.include.list'),
    ),
    field(
      'column.include.list',
      'list',
      'Filters',
      filterDoc(
        'only matching columns are emitted (key columns always are)',
        '<database>.<table>.<column>',
        'column.exclude.list',
      ),
    ),
    field(
      'column.exclude.list',
      'list',
      'Filters',
      filterDoc(
        'matching columns are not emitted (key columns always are)',
        '<database>.<table>.<column>',
        'column.include.list',
      ),
    ),
    field(
      'snapshot.mode',
      'string',
      'Snapshot',
      'initial: snapshot when there is no completed snapshot, then stream. initial_only: snapshot, then stop. always: snapshot at every start. when_needed: like initial, and snapshot again when the stored position is no longer in the binlog. no_data (alias schema_only): no rows, stream from the current position. never: no rows, stream from the start of the oldest binlog file the server keeps.',
      { default: 'initial', allowed: snapshotModes },
    ),
    field(
      'snapshot.locking.mode',
      'string',
      'Snapshot',
      'minimal: on MySQL, hold FLUSH TABLES WITH READ LOCK only while the binlog position is read (needs RELOAD); MariaDB never locks, its consistent snapshot reports its own binlog position. none: no lock (MySQL: exact only when nothing writes during the start of the snapshot).',
      { default: 'minimal', allowed: snapshotLockingModes },
    ),
    field(
      'snapshot.fetch.size',
      'int',
      'Snapshot',
      'Rows between progress reports and intermediate commits while snapshotting; rows are streamed from the server with backpressure.',
      { default: '10240' },
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
      'How often the position of transactions that touched no captured table is committed (and how often the server sends heartbeats); 0 commits only positions of captured changes. Unlike Debezium (default 0) this is on by default; no heartbeat records are written.',
      { default: '10000' },
    ),
    field(
      'decimal.handling.mode',
      'string',
      'Types',
      'precise: DECIMAL as Connect Decimal; double; string.',
      { default: 'precise', allowed: decimalModes },
    ),
    field(
      'time.precision.mode',
      'string',
      'Types',
      'adaptive_time_microseconds: TIME in µs, DATETIME in ms or µs by precision; adaptive: also TIME by precision; connect: Kafka Connect logical types (ms). TIMESTAMP is always an ISO-8601 string in UTC.',
      { default: 'adaptive_time_microseconds', allowed: timePrecisionModes },
    ),
    field(
      'bigint.unsigned.handling.mode',
      'string',
      'Types',
      'long: BIGINT UNSIGNED as int64 (values above 2^63-1 wrap negative, as in Debezium); precise: Decimal with scale 0.',
      { default: 'long', allowed: bigintUnsignedModes },
    ),
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
      'Custom keys: <database.table regex>:<column>,<column>;... replaces the primary key as record key.',
    ),
    field(
      'include.query',
      'boolean',
      'Events',
      'Put the statement that caused each row change into source.query (MariaDB: binlog_annotate_row_events=ON; MySQL: binlog_rows_query_log_events=ON).',
      { default: 'false' },
    ),
    field(
      'include.schema.changes',
      'boolean',
      'Events',
      'Describe DDL on captured tables as schema change events for the <topic.prefix> topic.',
      { default: 'true' },
    ),
  ]
}

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
  'connect.keep.alive', // the dump connection is re-opened by the runtime's retry
  'table.ignore.builtin', // system databases are never captured
  'schema.history.internal', // no schema history: table maps carry the schema
]

/** Prefixes of Debezium settings for machinery this connector does without (schema history). */
export const ignoredDebeziumPrefixes: readonly string[] = [
  'schema.history.internal.',
  'database.history.',
]
