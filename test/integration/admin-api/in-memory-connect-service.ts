import { CdcError } from '../../../common/errors.ts'
import type {
  ConfigMap,
  ConnectService,
  ConnectorInfo,
  ConnectorMetrics,
  ConnectorOffsets,
  ConnectorState,
  ConnectorStatus,
  PluginInfo,
  ValidationResult,
} from '../../../admin-api/connect-service.ts'
import type { ConfigField, ConfigIssue, SourceLag } from '../../../connectors/plugin.ts'

/**
 * A ConnectService kept in memory, for driving the admin API in tests. It is our own port
 * implemented simply (no Kafka, no databases), with the rules the real runtime follows:
 * offsets change only when STOPPED, unknown config fields are invalid, and so on.
 */

export const postgresClass = 'io.debezium.connector.postgresql.PostgresConnector'

const field = (name: string, extra: Partial<ConfigField> = {}): ConfigField => ({
  name,
  type: 'string',
  required: false,
  importance: 'MEDIUM',
  group: 'Connection',
  doc: `The ${name} setting.`,
  ...extra,
})

export const postgresConfigDef: readonly ConfigField[] = [
  field('name', { required: true, group: 'Common', importance: 'HIGH' }),
  field('connector.class', { type: 'class', required: true, group: 'Common', importance: 'HIGH' }),
  field('tasks.max', { type: 'int', default: '1', group: 'Common' }),
  field('database.hostname', { required: true, importance: 'HIGH' }),
  field('database.port', { type: 'int', default: '5432' }),
  field('database.user', { required: true }),
  field('database.password', { type: 'password' }),
  field('database.dbname', {}),
  field('topic.prefix', { required: true, importance: 'HIGH' }),
  field('table.include.list', { type: 'list', group: 'Filters' }),
  field('snapshot.mode', {
    default: 'initial',
    allowed: ['initial', 'never', 'when_needed'],
    group: 'Snapshot',
  }),
  field('ssl.key.secret', { type: 'password', group: 'Security' }),
  field('api.token', { type: 'password', group: 'Security' }),
  field('sink.key', {
    type: 'password',
    group: 'Security',
    doc: 'A secret whose key does not say so.',
  }),
  field('test.fail', {
    group: 'Test',
    doc: '"internal" makes create throw a plain Error (a 500).',
  }),
]

const plugin: PluginInfo = {
  class: postgresClass,
  type: 'source',
  version: '3.1.0',
  aliases: ['postgres'],
}

function resolveClass(name: string | undefined): string | undefined {
  if (name === undefined) return undefined
  return [plugin.class, 'PostgresConnector', 'Postgres', ...plugin.aliases].some(
    (candidate) => candidate.toLowerCase() === name.toLowerCase(),
  )
    ? plugin.class
    : undefined
}

export function configIssues(config: ConfigMap): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const known = new Map(postgresConfigDef.map((f) => [f.name, f]))
  for (const f of postgresConfigDef) {
    const value = config[f.name]
    if (value === undefined) {
      if (f.required) issues.push({ field: f.name, message: 'is required and missing' })
      continue
    }
    if (f.type === 'int' && !/^-?\d+$/.test(value)) {
      issues.push({ field: f.name, message: 'must be an integer' })
    }
    if (f.allowed !== undefined && !f.allowed.includes(value)) {
      issues.push({ field: f.name, message: `must be one of ${f.allowed.join(', ')}` })
    }
  }
  for (const key of Object.keys(config)) {
    if (!known.has(key)) issues.push({ field: key, message: 'is not a known setting' })
  }
  return issues
}

interface Connector {
  config: Record<string, string>
  state: ConnectorState
  trace?: string
  offsets: ConnectorOffsets['offsets']
  topics: string[]
}

/** Runs synchronously like the real runtime's fast paths, but reports throws as rejections. */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn())
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)))
  }
}

const notFound = (name: string): CdcError =>
  new CdcError(
    'CDC_API_CONNECTOR_NOT_FOUND',
    `Connector ${name} not found; GET /connectors lists them.`,
  )

export class InMemoryConnectService implements ConnectService {
  readonly #connectors = new Map<string, Connector>()
  /** What the tests can inspect or steer. */
  readonly snapshots: Array<{ name: string; tables: readonly string[] }> = []
  readonly restarts: Array<{ name: string; includeTasks: boolean; onlyFailed: boolean }> = []
  healthy = true
  rebalancing = false

  version(): { version: string; commit: string; kafka_cluster_id: string } {
    return { version: '0.1.0', commit: 'abc123', kafka_cluster_id: 'test-cluster' }
  }

  plugins(): PluginInfo[] {
    return [plugin]
  }

  pluginConfigDef(pluginClass: string): readonly ConfigField[] {
    if (resolveClass(pluginClass) === undefined) {
      throw new CdcError('CDC_API_PLUGIN_NOT_FOUND', `No plugin ${pluginClass}.`)
    }
    return postgresConfigDef
  }

  validate(pluginClass: string, config: ConfigMap): ValidationResult {
    this.pluginConfigDef(pluginClass)
    const issues = configIssues(config)
    const groups = [...new Set(postgresConfigDef.map((f) => f.group))]
    return {
      name: pluginClass,
      error_count: issues.length,
      groups,
      configs: postgresConfigDef.map((f, index) => ({
        definition: {
          name: f.name,
          type: f.type.toUpperCase(),
          required: f.required,
          default_value: f.default ?? null,
          importance: f.importance,
          documentation: f.doc,
          group: f.group,
          order: index + 1,
          width: 'NONE',
          display_name: f.name,
          dependents: [],
        },
        value: {
          name: f.name,
          value: config[f.name] ?? f.default ?? null,
          recommended_values: [...(f.allowed ?? [])],
          errors: issues.filter((issue) => issue.field === f.name).map((issue) => issue.message),
          visible: true,
        },
      })),
    }
  }

  #get(name: string): Connector {
    const connector = this.#connectors.get(name)
    if (connector === undefined) throw notFound(name)
    return connector
  }

  #checkNotRebalancing(): void {
    if (this.rebalancing) {
      throw new CdcError('CDC_API_REBALANCING', 'Connectors are being reassigned; try again.', {
        retriable: true,
      })
    }
  }

  #checkConfig(config: ConfigMap): void {
    if (resolveClass(config['connector.class']) === undefined) {
      throw new CdcError(
        'CDC_API_PLUGIN_NOT_FOUND',
        `connector.class ${String(config['connector.class'])} names no installed plugin; GET /connector-plugins lists them.`,
      )
    }
    if (config['test.fail'] === 'internal') {
      // Like a driver error that quotes what it was given: the API must not pass this on.
      throw new Error(`driver failed for password ${String(config['database.password'])}`)
    }
    const issues = configIssues(config)
    if (issues.length > 0) {
      throw new CdcError('CDC_CONFIG_INVALID', `Config has ${issues.length} problems.`, {
        details: { issues },
      })
    }
  }

  list(): Promise<string[]> {
    return settle(() => {
      return [...this.#connectors.keys()].sort()
    })
  }

  create(name: string, config: ConfigMap): Promise<ConnectorInfo> {
    return settle(() => {
      this.#checkNotRebalancing()
      if (this.#connectors.has(name)) {
        throw new CdcError('CDC_API_CONNECTOR_EXISTS', `Connector ${name} already exists.`)
      }
      this.#checkConfig(config)
      this.#connectors.set(name, {
        config: { ...config },
        state: 'RUNNING',
        offsets: [],
        topics: [],
      })
      return this.#info(name)
    })
  }

  info(name: string): Promise<ConnectorInfo> {
    return settle(() => this.#info(name))
  }

  #info(name: string): ConnectorInfo {
    const connector = this.#get(name)
    return {
      name,
      config: { ...connector.config },
      tasks: connector.state === 'STOPPED' ? [] : [{ connector: name, task: 0 }],
      type: 'source',
    }
  }

  config(name: string): Promise<ConfigMap> {
    return settle(() => {
      return { ...this.#get(name).config }
    })
  }

  putConfig(name: string, config: ConfigMap): Promise<{ info: ConnectorInfo; created: boolean }> {
    return settle(() => {
      this.#checkNotRebalancing()
      this.#checkConfig(config)
      const existing = this.#connectors.get(name)
      if (existing === undefined) {
        this.#connectors.set(name, {
          config: { ...config },
          state: 'RUNNING',
          offsets: [],
          topics: [],
        })
      } else {
        existing.config = { ...config }
      }
      return { info: this.#info(name), created: existing === undefined }
    })
  }

  status(name: string): Promise<ConnectorStatus> {
    return settle(() => {
      const connector = this.#get(name)
      const trace = connector.trace === undefined ? {} : { trace: connector.trace }
      return {
        name,
        connector: { state: connector.state, worker_id: '127.0.0.1:8083', ...trace },
        tasks:
          connector.state === 'STOPPED'
            ? []
            : [{ id: 0, state: connector.state, worker_id: '127.0.0.1:8083', ...trace }],
        type: 'source',
        phase: connector.state === 'RUNNING' ? 'streaming' : null,
        snapshot: [
          {
            table: 'public.orders',
            rows_done: 10,
            rows_estimated: 20,
            rows_per_second: null,
            eta_seconds: null,
            done: false,
          },
        ],
        last_committed_position: { lsn: '0/16B3748', txId: 42 },
        error:
          connector.state === 'FAILED'
            ? { code: 'CDC_PG_CONNECTION', message: connector.trace ?? 'failed', retriable: true }
            : null,
      }
    })
  }

  /** Test steering: put a connector into FAILED with a trace. */
  fail(name: string, trace: string): void {
    const connector = this.#get(name)
    connector.state = 'FAILED'
    connector.trace = trace
  }

  /** Test steering: record that the connector wrote to a topic. */
  addTopic(name: string, topic: string): void {
    this.#get(name).topics.push(topic)
  }

  pause(name: string): Promise<void> {
    return settle(() => {
      this.#get(name).state = 'PAUSED'
    })
  }

  resume(name: string): Promise<void> {
    return settle(() => {
      this.#get(name).state = 'RUNNING'
    })
  }

  stop(name: string): Promise<void> {
    return settle(() => {
      this.#get(name).state = 'STOPPED'
    })
  }

  restart(name: string, options: { includeTasks: boolean; onlyFailed: boolean }): Promise<void> {
    return settle(() => {
      const connector = this.#get(name)
      this.restarts.push({ name, ...options })
      if (options.onlyFailed && connector.state !== 'FAILED') return
      if (connector.state === 'FAILED') {
        connector.state = 'RUNNING'
        delete connector.trace
      }
    })
  }

  delete(name: string): Promise<void> {
    return settle(() => {
      this.#checkNotRebalancing()
      this.#get(name)
      this.#connectors.delete(name)
    })
  }

  topics(name: string): Promise<string[]> {
    return settle(() => {
      return [...this.#get(name).topics]
    })
  }

  resetTopics(name: string): Promise<void> {
    return settle(() => {
      this.#get(name).topics = []
    })
  }

  offsets(name: string): Promise<ConnectorOffsets> {
    return settle(() => {
      return { offsets: [...this.#get(name).offsets] }
    })
  }

  #requireStopped(name: string, connector: Connector): void {
    if (connector.state !== 'STOPPED') {
      throw new CdcError(
        'CDC_API_CONFLICT',
        `Connector ${name} is ${connector.state}; offsets change only when STOPPED. PUT /connectors/${name}/stop first.`,
      )
    }
  }

  alterOffsets(name: string, offsets: ConnectorOffsets): Promise<void> {
    return settle(() => {
      const connector = this.#get(name)
      this.#requireStopped(name, connector)
      for (const entry of offsets.offsets) {
        const key = JSON.stringify(entry.partition)
        const kept = connector.offsets.filter((o) => JSON.stringify(o.partition) !== key)
        connector.offsets = entry.offset === null ? kept : [...kept, entry]
      }
    })
  }

  resetOffsets(name: string): Promise<void> {
    return settle(() => {
      const connector = this.#get(name)
      this.#requireStopped(name, connector)
      connector.offsets = []
    })
  }

  lag(name: string): Promise<SourceLag> {
    return settle(() => {
      this.#get(name)
      return { lag_bytes: 2048, slot_name: 'cdc_slot', active: true, confirmed_flush_lsn: null }
    })
  }

  snapshot(name: string, tables: readonly string[]): Promise<void> {
    return settle(() => {
      const connector = this.#get(name)
      if (connector.state !== 'RUNNING') {
        throw new CdcError(
          'CDC_API_CONFLICT',
          `Connector ${name} is ${connector.state}; resume it first.`,
        )
      }
      this.snapshots.push({ name, tables })
    })
  }

  health(): Promise<{ status: 'UP' | 'DOWN'; checks: Record<string, 'UP' | 'DOWN'> }> {
    return settle(() => {
      const state = this.healthy ? 'UP' : 'DOWN'
      return { status: state, checks: { kafka: state, registry: 'UP' } }
    })
  }

  metrics(): Promise<ConnectorMetrics[]> {
    return settle(() => {
      return [...this.#connectors].map(([name, connector]) => ({
        name,
        state: connector.state,
        eventsSeen: 100,
        recordsProduced: 90,
        errors: 1,
        snapshotRowsDone: 10,
        snapshotRowsEstimated: 20,
        millisBehindSource: connector.state === 'RUNNING' ? 250 : null,
        lag: { lag_bytes: 2048, slot_name: 'cdc_slot', active: true },
      }))
    })
  }
}
