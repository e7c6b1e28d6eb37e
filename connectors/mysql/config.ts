import { CdcError } from '../../common/errors.ts'
import type {
  BigintUnsignedHandlingMode,
  DecimalHandlingMode,
  TimePrecisionMode,
} from '../../envelope/value-modes.ts'
import type { ConfigIssue, ConnectorConfig } from '../plugin.ts'
import { isRuntimeConfigKey } from '../runtime-config.ts'
import {
  bigintUnsignedModes,
  configDefFor,
  connectorClasses,
  decimalModes,
  flavors,
  ignoredDebeziumKeys,
  ignoredDebeziumPrefixes,
  snapshotLockingModes,
  snapshotModes,
  sslModes,
  timePrecisionModes,
  type Flavor,
} from './config-def.ts'
import {
  compileRegexList,
  parseKeyColumns,
  type KeyColumnsRule,
  type NameFilter,
  type TableFilters,
} from './filters.ts'

export type SslMode = (typeof sslModes)[number]
/** `schema_only` is parsed into `no_data`, as Debezium treats it. */
export type SnapshotMode = Exclude<(typeof snapshotModes)[number], 'schema_only'>
export type SnapshotLockingMode = (typeof snapshotLockingModes)[number]

export interface MysqlConnection {
  host: string
  port: number
  user: string
  password: string | null
  sslMode: SslMode
}

export interface MysqlConfig extends TableFilters {
  /** Which Debezium connector this config stands for: source.connector and schema names. */
  flavor: Flavor
  connection: MysqlConnection
  serverId: number
  topicPrefix: string
  snapshotMode: SnapshotMode
  snapshotLockingMode: SnapshotLockingMode
  snapshotFetchSize: number
  tombstonesOnDelete: boolean
  heartbeatIntervalMs: number
  decimalHandlingMode: DecimalHandlingMode
  timePrecisionMode: TimePrecisionMode
  bigintUnsignedHandlingMode: BigintUnsignedHandlingMode
  provideTransactionMetadata: boolean
  messageKeyColumns: readonly KeyColumnsRule[]
  includeQuery: boolean
  includeSchemaChanges: boolean
}

/** Reads every field, collecting problems instead of stopping at the first. */
class Reader {
  readonly issues: ConfigIssue[] = []
  readonly #config: ConnectorConfig
  readonly #defaults: ReadonlyMap<string, string | undefined>

  constructor(config: ConnectorConfig, defaults: ReadonlyMap<string, string | undefined>) {
    this.#config = config
    this.#defaults = defaults
  }

  raw(name: string): string | undefined {
    const value = this.#config[name]
    if (value === undefined || value.trim() === '') return this.#defaults.get(name)
    return value.trim()
  }

  issue(field: string, message: string): void {
    this.issues.push({ field, message })
  }

  string(name: string): string {
    const value = this.raw(name)
    if (value === undefined) {
      this.issue(name, `${name} is required`)
      return ''
    }
    return value
  }

  optional(name: string): string | null {
    return this.raw(name) ?? null
  }

  int(name: string, min: number, max = 2 ** 31 - 1): number {
    const text = this.string(name)
    const value = Number(text)
    if (text !== '' && (!/^-?\d+$/.test(text) || value < min || value > max)) {
      this.issue(
        name,
        `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`,
      )
    }
    return value
  }

  boolean(name: string): boolean {
    const text = this.string(name).toLowerCase()
    if (text !== 'true' && text !== 'false') {
      this.issue(name, `${name} must be true or false, got ${JSON.stringify(text)}`)
    }
    return text === 'true'
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const text = this.string(name).toLowerCase()
    if (!(allowed as readonly string[]).includes(text)) {
      this.issue(name, `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(text)}`)
      return allowed[0] as T
    }
    return text as T
  }

  filter(kind: 'database' | 'table' | 'column'): NameFilter {
    const includeKey = `${kind}.include.list`
    const excludeKey = `${kind}.exclude.list`
    const include = this.regexes(includeKey)
    const exclude = this.regexes(excludeKey)
    if (include !== null && exclude !== null) {
      this.issue(excludeKey, `${includeKey} and ${excludeKey} cannot both be set: keep one of them`)
    }
    return { include, exclude: include === null ? exclude : null }
  }

  regexes(name: string): RegExp[] | null {
    const text = this.optional(name)
    if (text === null) return null
    try {
      return compileRegexList(text)
    } catch (error) {
      this.issue(name, `${name} has an invalid regular expression: ${(error as Error).message}`)
      return []
    }
  }
}

/** The flavor a connector.class names, or null when it names neither connector. */
export function flavorOf(connectorClass: string | undefined): Flavor | null {
  if (connectorClass === undefined) return null
  const wanted = connectorClass.trim().toLowerCase()
  return (
    flavors.find(
      (flavor) => flavor === wanted || connectorClasses[flavor].toLowerCase() === wanted,
    ) ?? null
  )
}

function checkKeys(reader: Reader, config: ConnectorConfig, flavor: Flavor): void {
  const known = new Set([
    ...configDefFor(flavor).map((entry) => entry.name),
    ...ignoredDebeziumKeys,
  ])
  for (const key of Object.keys(config)) {
    if (known.has(key) || isRuntimeConfigKey(key)) continue
    if (ignoredDebeziumPrefixes.some((prefix) => key.startsWith(prefix))) continue
    reader.issue(
      key,
      `unknown property ${key}: remove it or check its spelling (see the connector's config definition)`,
    )
  }
}

function read(
  config: ConnectorConfig,
  flavor: Flavor,
): { config: MysqlConfig; issues: ConfigIssue[] } {
  const defaults = new Map(configDefFor(flavor).map((entry) => [entry.name, entry.default]))
  const reader = new Reader(config, defaults)
  const named = flavorOf(config['connector.class'])
  if (named !== flavor) {
    reader.issue(
      'connector.class',
      `connector.class must be ${connectorClasses[flavor]} or ${flavor}, got ${JSON.stringify(config['connector.class'] ?? '')}`,
    )
  }
  checkKeys(reader, config, flavor)
  const topicPrefix = reader.string('topic.prefix')
  if (topicPrefix !== '' && !/^[A-Za-z0-9._-]+$/.test(topicPrefix)) {
    reader.issue(
      'topic.prefix',
      `topic.prefix may only contain letters, digits, '.', '_' and '-', got ${JSON.stringify(topicPrefix)}`,
    )
  }
  const serverId = reader.int('database.server.id', 1, 2 ** 32 - 1)
  let messageKeyColumns: KeyColumnsRule[] = []
  const keyColumnsText = reader.optional('message.key.columns')
  if (keyColumnsText !== null) {
    try {
      messageKeyColumns = parseKeyColumns(keyColumnsText)
    } catch (error) {
      reader.issue('message.key.columns', `message.key.columns: ${(error as Error).message}`)
    }
  }
  const snapshotMode = reader.oneOf('snapshot.mode', snapshotModes)
  const parsed: MysqlConfig = {
    flavor,
    connection: {
      host: reader.string('database.hostname'),
      port: reader.int('database.port', 1, 65535),
      user: reader.string('database.user'),
      password: config['database.password'] ?? null,
      sslMode: reader.oneOf('database.ssl.mode', sslModes),
    },
    serverId,
    topicPrefix,
    databases: reader.filter('database'),
    tables: reader.filter('table'),
    columns: reader.filter('column'),
    snapshotMode: snapshotMode === 'schema_only' ? 'no_data' : snapshotMode,
    snapshotLockingMode: reader.oneOf('snapshot.locking.mode', snapshotLockingModes),
    snapshotFetchSize: reader.int('snapshot.fetch.size', 1),
    tombstonesOnDelete: reader.boolean('tombstones.on.delete'),
    heartbeatIntervalMs: reader.int('heartbeat.interval.ms', 0),
    decimalHandlingMode: reader.oneOf('decimal.handling.mode', decimalModes),
    timePrecisionMode: reader.oneOf('time.precision.mode', timePrecisionModes),
    bigintUnsignedHandlingMode: reader.oneOf('bigint.unsigned.handling.mode', bigintUnsignedModes),
    provideTransactionMetadata: reader.boolean('provide.transaction.metadata'),
    messageKeyColumns,
    includeQuery: reader.boolean('include.query'),
    includeSchemaChanges: reader.boolean('include.schema.changes'),
  }
  return { config: parsed, issues: reader.issues }
}

/** Every problem with a config at once; an empty list means valid. No I/O. */
export function validateMysqlConfig(config: ConnectorConfig, flavor: Flavor): ConfigIssue[] {
  return read(config, flavor).issues
}

/** The typed config; throws CDC_CONFIG_INVALID listing every problem. */
export function parseMysqlConfig(config: ConnectorConfig, flavor: Flavor): MysqlConfig {
  const { config: parsed, issues } = read(config, flavor)
  if (issues.length > 0) {
    throw new CdcError(
      'CDC_CONFIG_INVALID',
      `invalid ${flavor === 'mysql' ? 'MySQL' : 'MariaDB'} connector config: ${issues.map((issue) => issue.message).join('; ')}`,
      { details: { issues } },
    )
  }
  return parsed
}
