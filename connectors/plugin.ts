import type { ChangeSink, Position } from './ports.ts'

/**
 * The contract between a connector and the service runtime. The runtime owns the
 * lifecycle (start, stop, pause as a clean stop, restart, status, stored positions); a
 * connector never talks HTTP and never touches Kafka directly.
 */

/** Connector config as Kafka Connect carries it: Debezium's dotted names, string values. */
export type ConnectorConfig = Readonly<Record<string, string>>

export const configTypes = [
  'string',
  'int',
  'long',
  'boolean',
  'list',
  'password',
  'class',
] as const
export type ConfigType = (typeof configTypes)[number]

/** One property of a connector's config, as `PUT /connector-plugins/{p}/config/validate` shows it. */
export interface ConfigField {
  name: string
  type: ConfigType
  required: boolean
  /** Default as a string, the way Connect shows it; undefined when there is none. */
  default?: string
  /** Allowed values for enumerated settings. */
  allowed?: readonly string[]
  importance: 'HIGH' | 'MEDIUM' | 'LOW'
  group: string
  doc: string
}

/** A problem with one field; validation returns every problem at once, not the first. */
export interface ConfigIssue {
  field: string
  message: string
}

export const connectorPhases = ['starting', 'snapshot', 'streaming', 'stopping'] as const
export type ConnectorPhase = (typeof connectorPhases)[number]

export interface TableSnapshotProgress {
  table: string
  rowsDone: number
  /** The database's estimate (pg_class.reltuples, information_schema.TABLES.TABLE_ROWS). */
  rowsEstimated: number | null
  done: boolean
}

/** What a running connector tells the runtime about itself; the runtime adds rates and ETAs. */
export interface ConnectorMonitor {
  phase(phase: ConnectorPhase): void
  snapshotProgress(progress: TableSnapshotProgress): void
  /** Count of change events read from the source (before filtering of unchanged rows). */
  eventsSeen(count: number): void
  /** Milliseconds between the source commit and its processing, for the newest event. */
  behindSource(ms: number): void
}

export interface ConnectorLogger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

export interface ConnectorContext {
  /** The connector's name, unique in the service. */
  name: string
  sink: ChangeSink
  monitor: ConnectorMonitor
  logger: ConnectorLogger
}

/** Source lag as `GET /connectors/{name}/lag` shows it; keys depend on the connector. */
export type SourceLag = Readonly<Record<string, string | number | boolean | null>>

export interface ConnectorTask {
  /**
   * Runs until `signal` aborts (then stops at a clean position, with every emitted event
   * committed, and resolves) or until it fails (then rejects with a CdcError whose
   * `retriable` tells the runtime whether to retry from the last committed position).
   * `from` is the last committed position, or null for a new connector.
   */
  run(from: Position | null, signal: AbortSignal): Promise<void>
  /** Ad-hoc snapshot of the named tables while streaming continues (optional). */
  requestSnapshot?(tables: readonly string[]): Promise<void>
}

export interface ConnectorPlugin {
  /** Canonical class name, e.g. `io.debezium.connector.postgresql.PostgresConnector`. */
  className: string
  /** Other names accepted in `connector.class`, e.g. `postgres`. */
  aliases: readonly string[]
  type: 'source'
  version: string
  configDef: readonly ConfigField[]
  /**
   * Run on every service instance instead of only the one owning the connector's slot:
   * for plugins that share their work between instances themselves (the stream-table join
   * does, through its own consumer group).
   */
  runsOnEveryInstance?: boolean
  /** Checks a config without side effects; an empty list means valid. */
  validate(config: ConnectorConfig): ConfigIssue[]
  /** Builds a task for a validated config; does no I/O until `run`. */
  create(config: ConnectorConfig, context: ConnectorContext): ConnectorTask
  /** Source lag for a configured connector, queried from the database itself. */
  lag?(config: ConnectorConfig, position: Position | null): Promise<SourceLag>
  /** Frees what a deleted connector holds at the source (slot, publication) when configured to. */
  cleanup?(config: ConnectorConfig): Promise<void>
}
