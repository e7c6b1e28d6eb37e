import type { ConfigField, ConnectorPhase, SourceLag } from '../connectors/plugin.ts'

/**
 * What the admin API drives and observes: the service runtime implements it, the HTTP
 * layer only translates requests into calls and results into Kafka Connect's bodies. All
 * methods reject with CdcErrors: CDC_API_CONNECTOR_NOT_FOUND, CDC_API_CONNECTOR_EXISTS,
 * CDC_CONFIG_INVALID (with `details.issues: ConfigIssue[]`), CDC_API_PLUGIN_NOT_FOUND,
 * CDC_API_CONFLICT (e.g. offsets changed while not STOPPED), CDC_API_REBALANCING (the
 * connector is owned by another instance that could not be reached).
 */

/** Connector config as stored: Debezium/Connect property names, string values. */
export type ConfigMap = Readonly<Record<string, string>>

export const connectorStates = ['UNASSIGNED', 'RUNNING', 'PAUSED', 'STOPPED', 'FAILED'] as const
export type ConnectorState = (typeof connectorStates)[number]

export interface PluginInfo {
  class: string
  type: 'source'
  version: string
  aliases: readonly string[]
}

/** Kafka Connect's validate response (`PUT /connector-plugins/{p}/config/validate`). */
export interface ValidationResult {
  name: string
  error_count: number
  groups: string[]
  configs: Array<{
    definition: {
      name: string
      type: string
      required: boolean
      default_value: string | null
      importance: string
      documentation: string
      group: string
      order: number
      width: string
      display_name: string
      dependents: string[]
    }
    value: {
      name: string
      value: string | null
      recommended_values: string[]
      errors: string[]
      visible: boolean
    }
  }>
}

export interface TableProgress {
  table: string
  rows_done: number
  rows_estimated: number | null
  rows_per_second: number | null
  eta_seconds: number | null
  done: boolean
}

export interface ConnectorStatus {
  name: string
  connector: { state: ConnectorState; worker_id: string; trace?: string }
  tasks: Array<{ id: number; state: ConnectorState; worker_id: string; trace?: string }>
  type: 'source'
  /** Our additions to Connect's status body. */
  phase: ConnectorPhase | null
  snapshot: TableProgress[]
  last_committed_position: Readonly<Record<string, unknown>> | null
  error: { code: string; message: string; retriable: boolean } | null
}

export interface ConnectorInfo {
  name: string
  config: ConfigMap
  tasks: Array<{ connector: string; task: number }>
  type: 'source'
}

/** KIP-875 offsets body: `{"offsets": [{"partition": {...}, "offset": {...}|null}]}`. */
export interface ConnectorOffsets {
  offsets: Array<{
    partition: Readonly<Record<string, string>>
    offset: Readonly<Record<string, unknown>> | null
  }>
}

/** Per-connector figures for `GET /metrics`. */
export interface ConnectorMetrics {
  name: string
  state: ConnectorState
  eventsSeen: number
  recordsProduced: number
  errors: number
  snapshotRowsDone: number
  snapshotRowsEstimated: number
  millisBehindSource: number | null
  lag: SourceLag | null
}

export interface ConnectService {
  version(): { version: string; commit: string; kafka_cluster_id: string }
  plugins(): PluginInfo[]
  /** Config fields of a plugin, for `/docs` and validate. */
  pluginConfigDef(pluginClass: string): readonly ConfigField[]
  validate(pluginClass: string, config: ConfigMap): ValidationResult

  list(): Promise<string[]>
  create(name: string, config: ConfigMap): Promise<ConnectorInfo>
  info(name: string): Promise<ConnectorInfo>
  config(name: string): Promise<ConfigMap>
  /** Creates or updates; `created` tells which, for 201 vs 200. */
  putConfig(name: string, config: ConfigMap): Promise<{ info: ConnectorInfo; created: boolean }>
  status(name: string): Promise<ConnectorStatus>
  pause(name: string): Promise<void>
  resume(name: string): Promise<void>
  stop(name: string): Promise<void>
  restart(name: string, options: { includeTasks: boolean; onlyFailed: boolean }): Promise<void>
  delete(name: string): Promise<void>
  topics(name: string): Promise<string[]>
  resetTopics(name: string): Promise<void>
  offsets(name: string): Promise<ConnectorOffsets>
  /** Only when the connector is STOPPED (KIP-875); else CDC_API_CONFLICT. */
  alterOffsets(name: string, offsets: ConnectorOffsets): Promise<void>
  resetOffsets(name: string): Promise<void>
  lag(name: string): Promise<SourceLag>
  /** Ad-hoc snapshot of the named tables (`POST /connectors/{name}/snapshots`). */
  snapshot(name: string, tables: readonly string[]): Promise<void>

  health(): Promise<{ status: 'UP' | 'DOWN'; checks: Record<string, 'UP' | 'DOWN'> }>
  metrics(): Promise<ConnectorMetrics[]>
}
