import { CdcError } from '../common/errors.ts'
import type { ConfigIssue, ConnectorConfig } from '../connectors/plugin.ts'
import { isRuntimeConfigKey } from '../connectors/runtime-config.ts'
import { joinConfigDef, joinConnectorClass, joinTypes, outputFormats } from './join-config-def.ts'

export type JoinType = (typeof joinTypes)[number]
export type OutputFormat = (typeof outputFormats)[number]

export interface JoinConfig {
  name: string | null
  streamTopic: string
  tableTopic: string
  /** Stream columns holding the table key, in key order. */
  foreignKey: readonly string[]
  joinType: JoinType
  outputTopic: string
  outputFormat: OutputFormat
  idleGraceMs: number
  maxWaitMs: number
  historyRetentionMs: number
  stateDir: string
  /** Debezium's transaction metadata topic; set, it turns on strict release (S11). */
  transactionTopic: string | null
}

const defaults = new Map(joinConfigDef.map((entry) => [entry.name, entry.default]))
const known = new Set(joinConfigDef.map((entry) => entry.name))
const topicPattern = /^[A-Za-z0-9._-]{1,249}$/
const columnPattern = /^[^,\s][^,]*$/

class Reader {
  readonly issues: ConfigIssue[] = []
  readonly #config: ConnectorConfig

  constructor(config: ConnectorConfig) {
    this.#config = config
  }

  text(name: string): string {
    const value = this.#config[name]?.trim()
    const text = value === undefined || value === '' ? defaults.get(name) : value
    if (text === undefined) this.issue(name, `${name} is required`)
    return text ?? ''
  }

  issue(field: string, message: string): void {
    this.issues.push({ field, message })
  }

  topic(name: string): string {
    const topic = this.text(name)
    if (topic !== '' && (!topicPattern.test(topic) || topic === '.' || topic === '..')) {
      this.issue(
        name,
        `${name} must be a Kafka topic name (1-249 letters, digits, '.', '_', '-'), got ${JSON.stringify(topic)}`,
      )
    }
    return topic
  }

  optionalTopic(name: string): string | null {
    return (this.#config[name]?.trim() ?? '') === '' ? null : this.topic(name)
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const text = this.text(name).toLowerCase()
    if ((allowed as readonly string[]).includes(text)) return text as T
    this.issue(name, `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(text)}`)
    return allowed[0] as T
  }

  millis(name: string, min: number): number {
    const text = this.text(name)
    const value = Number(text)
    if (text !== '' && (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min)) {
      this.issue(
        name,
        `${name} must be a whole number of milliseconds, at least ${min}, got ${JSON.stringify(text)}`,
      )
    }
    return value
  }

  columns(name: string): string[] {
    const text = this.text(name)
    if (text === '') return []
    const columns = text.split(',').map((column) => column.trim())
    if (columns.some((column) => !columnPattern.test(column))) {
      this.issue(
        name,
        `${name} must be a comma-separated list of column names without empty entries, got ${JSON.stringify(text)}`,
      )
    }
    if (new Set(columns).size !== columns.length) {
      this.issue(name, `${name} names a column twice: ${JSON.stringify(text)}`)
    }
    return columns
  }
}

function read(config: ConnectorConfig): { config: JoinConfig; issues: ConfigIssue[] } {
  const reader = new Reader(config)
  const cls = reader.text('connector.class')
  if (cls !== '' && cls !== joinConnectorClass) {
    reader.issue(
      'connector.class',
      `connector.class must be ${joinConnectorClass}, got ${JSON.stringify(cls)}`,
    )
  }
  for (const key of Object.keys(config)) {
    if (known.has(key) || isRuntimeConfigKey(key)) continue
    reader.issue(
      key,
      `unknown property ${key}: remove it or check its spelling (see the join's config definition)`,
    )
  }
  const parsed: JoinConfig = {
    name: config.name?.trim() ?? null,
    streamTopic: reader.topic('stream.topic'),
    tableTopic: reader.topic('table.topic'),
    foreignKey: reader.columns('stream.foreign.key'),
    joinType: reader.oneOf('join.type', joinTypes),
    outputTopic: reader.topic('output.topic'),
    outputFormat: reader.oneOf('output.format', outputFormats),
    idleGraceMs: reader.millis('idle.grace.ms', 0),
    maxWaitMs: reader.millis('max.wait.ms', 1),
    historyRetentionMs: reader.millis('table.history.retention.ms', 1),
    stateDir: reader.text('state.dir'),
    transactionTopic: reader.optionalTopic('transaction.topic'),
  }
  checkRelations(reader, parsed)
  return { config: parsed, issues: reader.issues }
}

function checkRelations(reader: Reader, config: JoinConfig): void {
  const { streamTopic, tableTopic, outputTopic } = config
  if (streamTopic !== '' && streamTopic === tableTopic) {
    reader.issue(
      'table.topic',
      'table.topic must differ from stream.topic: a topic cannot be joined with itself',
    )
  }
  if (outputTopic !== '' && (outputTopic === streamTopic || outputTopic === tableTopic)) {
    reader.issue(
      'output.topic',
      'output.topic must differ from stream.topic and table.topic, or the join would read its own output',
    )
  }
  if (config.idleGraceMs > config.maxWaitMs) {
    reader.issue(
      'idle.grace.ms',
      `idle.grace.ms (${config.idleGraceMs}) must not exceed max.wait.ms (${config.maxWaitMs})`,
    )
  }
}

/** Every problem with a join config at once; an empty list means valid. No I/O. */
export function validateJoinConfig(config: ConnectorConfig): ConfigIssue[] {
  return read(config).issues
}

/** The typed config; throws CDC_CONFIG_INVALID listing every problem. */
export function parseJoinConfig(config: ConnectorConfig): JoinConfig {
  const { config: parsed, issues } = read(config)
  if (issues.length > 0) {
    throw new CdcError(
      'CDC_CONFIG_INVALID',
      `invalid stream-table join config: ${issues.map((issue) => issue.message).join('; ')}`,
      { details: { issues } },
    )
  }
  return parsed
}
