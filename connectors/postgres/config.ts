import { CdcError } from '../../common/errors.ts'
import { isRuntimeConfigKey } from '../runtime-config.ts'
import type { ConfigIssue, ConnectorConfig } from '../plugin.ts'
import {
  autocreateModes,
  configDef,
  connectorAliases,
  connectorClass,
  decimalModes,
  ignoredDebeziumKeys,
  pluginNames,
  snapshotModes,
  sslModes,
  timePrecisionModes,
} from './config-def.ts'
import {
  compileRegexList,
  parseKeyColumns,
  type KeyColumnsRule,
  type NameFilter,
} from './filters.ts'

export type SslMode = (typeof sslModes)[number]
export type AutocreateMode = (typeof autocreateModes)[number]
/** `never` is parsed into `no_data`, as Debezium treats it. */
export type SnapshotMode = Exclude<(typeof snapshotModes)[number], 'never'>
export type DecimalMode = (typeof decimalModes)[number]
export type TimePrecisionMode = (typeof timePrecisionModes)[number]

export interface PostgresConnection {
  host: string
  port: number
  user: string
  password: string | null
  database: string
  sslMode: SslMode
}

export interface PostgresConfig {
  connection: PostgresConnection
  topicPrefix: string
  schemas: NameFilter
  tables: NameFilter
  columns: NameFilter
  slotName: string
  slotDropOnStop: boolean
  publicationName: string
  publicationAutocreateMode: AutocreateMode
  snapshotMode: SnapshotMode
  snapshotFetchSize: number
  tombstonesOnDelete: boolean
  heartbeatIntervalMs: number
  heartbeatActionQuery: string | null
  decimalHandlingMode: DecimalMode
  timePrecisionMode: TimePrecisionMode
  moneyFractionDigits: number
  provideTransactionMetadata: boolean
  messageKeyColumns: readonly KeyColumnsRule[]
}

const defaults = new Map(configDef.map((entry) => [entry.name, entry.default]))
const known = new Set([...configDef.map((entry) => entry.name), ...ignoredDebeziumKeys])

/** Reads every field, collecting problems instead of stopping at the first. */
class Reader {
  readonly issues: ConfigIssue[] = []
  readonly #config: ConnectorConfig

  constructor(config: ConnectorConfig) {
    this.#config = config
  }

  raw(name: string): string | undefined {
    const value = this.#config[name]
    if (value === undefined || value.trim() === '') return defaults.get(name)
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

  filter(kind: 'schema' | 'table' | 'column'): NameFilter {
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

function checkPlugin(reader: Reader): void {
  const plugin = reader.string('plugin.name').toLowerCase()
  if (plugin === 'decoderbufs' || plugin === 'wal2json') {
    reader.issue(
      'plugin.name',
      `plugin.name=${plugin} is not supported: this connector decodes PostgreSQL's built-in pgoutput plugin only; set plugin.name=pgoutput (no server extension needed)`,
    )
  } else {
    reader.oneOf('plugin.name', pluginNames)
  }
}

function checkKeys(reader: Reader, config: ConnectorConfig): void {
  const cls = config['connector.class']
  if (
    cls !== undefined &&
    cls !== connectorClass &&
    !connectorAliases.includes(cls as 'postgres')
  ) {
    reader.issue(
      'connector.class',
      `connector.class must be ${connectorClass} or postgres, got ${JSON.stringify(cls)}`,
    )
  }
  for (const key of Object.keys(config)) {
    if (known.has(key) || isRuntimeConfigKey(key)) continue
    reader.issue(
      key,
      `unknown property ${key}: remove it or check its spelling (see the connector's config definition)`,
    )
  }
}

function read(config: ConnectorConfig): { config: PostgresConfig; issues: ConfigIssue[] } {
  const reader = new Reader(config)
  checkKeys(reader, config)
  reader.string('connector.class')
  checkPlugin(reader)
  const slotName = reader.string('slot.name')
  if (slotName !== '' && !/^[a-z0-9_]{1,63}$/.test(slotName)) {
    reader.issue(
      'slot.name',
      `slot.name must be 1-63 lower-case letters, digits or underscores, got ${JSON.stringify(slotName)}`,
    )
  }
  const publicationName = reader.string('publication.name')
  if (publicationName.length > 63)
    reader.issue('publication.name', 'publication.name is longer than 63 bytes')
  const topicPrefix = reader.string('topic.prefix')
  if (topicPrefix !== '' && !/^[A-Za-z0-9._-]+$/.test(topicPrefix)) {
    reader.issue(
      'topic.prefix',
      `topic.prefix may only contain letters, digits, '.', '_' and '-', got ${JSON.stringify(topicPrefix)}`,
    )
  }
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
  const parsed: PostgresConfig = {
    connection: {
      host: reader.string('database.hostname'),
      port: reader.int('database.port', 1, 65535),
      user: reader.string('database.user'),
      password: config['database.password'] ?? null,
      database: reader.string('database.dbname'),
      sslMode: reader.oneOf('database.sslmode', sslModes),
    },
    topicPrefix,
    schemas: reader.filter('schema'),
    tables: reader.filter('table'),
    columns: reader.filter('column'),
    slotName,
    slotDropOnStop: reader.boolean('slot.drop.on.stop'),
    publicationName,
    publicationAutocreateMode: reader.oneOf('publication.autocreate.mode', autocreateModes),
    snapshotMode: snapshotMode === 'never' ? 'no_data' : snapshotMode,
    snapshotFetchSize: reader.int('snapshot.fetch.size', 1),
    tombstonesOnDelete: reader.boolean('tombstones.on.delete'),
    heartbeatIntervalMs: reader.int('heartbeat.interval.ms', 0),
    heartbeatActionQuery: reader.optional('heartbeat.action.query'),
    decimalHandlingMode: reader.oneOf('decimal.handling.mode', decimalModes),
    timePrecisionMode: reader.oneOf('time.precision.mode', timePrecisionModes),
    moneyFractionDigits: reader.int('money.fraction.digits', 0, 100),
    provideTransactionMetadata: reader.boolean('provide.transaction.metadata'),
    messageKeyColumns,
  }
  return { config: parsed, issues: reader.issues }
}

/** Every problem with a config at once; an empty list means valid. No I/O. */
export function validatePostgresConfig(config: ConnectorConfig): ConfigIssue[] {
  return read(config).issues
}

/** The typed config; throws CDC_CONFIG_INVALID listing every problem. */
export function parsePostgresConfig(config: ConnectorConfig): PostgresConfig {
  const { config: parsed, issues } = read(config)
  if (issues.length > 0) {
    throw new CdcError(
      'CDC_CONFIG_INVALID',
      `invalid PostgreSQL connector config: ${issues.map((issue) => issue.message).join('; ')}`,
      { details: { issues } },
    )
  }
  return parsed
}
