import type {
  ConfigMap,
  ConnectorInfo,
  ConnectorMetrics,
  ConnectorOffsets,
  ConnectorStatus,
  ConnectService,
  PluginInfo,
  ValidationResult,
} from '../admin-api/connect-service.ts'
import { CdcError } from '../common/errors.ts'
import type { ConfigField, ConnectorPlugin, SourceLag } from '../connectors/plugin.ts'
import type { Position } from '../connectors/ports.ts'
import type { KafkaClient } from '../kafka/kafka-client.ts'
import { GroupMembership } from '../kafka/group-membership.ts'
import { OffsetStore, type SourcePartition } from '../kafka/offset-store.ts'
import { resolveConfig } from './config-providers.ts'
import { ConfigStore, type ConfigChange, type TargetState } from './config-store.ts'
import { ConnectorRunner, type RunSink } from './connector-runner.ts'
import { connectorStatus, metricsOf } from './status-view.ts'
import {
  runtimeConfigDef,
  runtimeSettings,
  validateRuntimeConfig,
  type RuntimeSettings,
} from './runtime-config.ts'
import { StatusStore, type RunState } from './status-store.ts'
import { validationResult } from './validation-result.ts'

export interface WorkerLogger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

export interface SinkRequest {
  name: string
  partition: SourcePartition
  config: ConfigMap
  settings: RuntimeSettings
  offsetsTopic: string
  onTopic: (topic: string) => void
}

export interface WorkerOptions {
  workerId: string
  version: string
  kafka: KafkaClient
  plugins: readonly ConnectorPlugin[]
  topics: { configs: string; status: string; offsets: string; slots: string }
  groupId: string
  replicationFactor: number
  createSink: (request: SinkRequest) => Promise<RunSink>
  logger: WorkerLogger
  /** Checks beyond Kafka for GET /health, e.g. the schema registry. */
  healthChecks?: Record<string, () => Promise<boolean>>
  sessionTimeoutMs?: number
}

/**
 * The service runtime: connector configs, target states, statuses and positions live in
 * Kafka topics; a consumer group decides which instance runs which connector; this
 * instance starts, stops and retries the connectors it owns.
 */
export class Worker implements ConnectService {
  readonly #options: WorkerOptions
  readonly #configs: ConfigStore
  readonly #statuses: StatusStore
  readonly #offsets: OffsetStore
  readonly #membership: GroupMembership
  readonly #runners = new Map<string, ConnectorRunner>()
  /** The config each runner started with: a changed config restarts it, as in Kafka Connect. */
  readonly #startedWith = new WeakMap<ConnectorRunner, ConfigMap>()
  #slots: ReadonlySet<number> = new Set()
  #reconciling: Promise<void> = Promise.resolve()
  #clusterId = ''
  #generation = 0
  #closed = false

  constructor(options: WorkerOptions) {
    this.#options = options
    this.#configs = new ConfigStore(options.kafka, options.topics.configs)
    this.#statuses = new StatusStore(options.kafka, options.topics.status)
    this.#offsets = new OffsetStore(options.kafka, options.topics.offsets)
    this.#membership = new GroupMembership(options.kafka.settings, options.kafka.admin, {
      groupId: options.groupId,
      slotsTopic: options.topics.slots,
      slots: 64,
      replicationFactor: options.replicationFactor,
      sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
    })
  }

  async start(): Promise<void> {
    const rf = this.#options.replicationFactor
    this.#clusterId = await this.#options.kafka.admin.clusterId()
    await this.#configs.start(rf)
    await this.#statuses.start(rf)
    await this.#offsets.start(rf)
    this.#configs.onChange((name, change) => {
      this.#onConfigChange(name, change)
    })
    await this.#membership.start((slots) => {
      this.#slots = new Set(slots)
      this.#schedule()
    })
  }

  /** Stops every connector at a clean position, then leaves the group. */
  async close(): Promise<void> {
    this.#closed = true
    await this.#reconciling
    await Promise.all([...this.#runners.values()].map((runner) => runner.stop()))
    this.#runners.clear()
    await this.#membership.stop()
    await this.#offsets.close()
    await this.#statuses.close()
    await this.#configs.close()
  }

  // ---- ConnectService: plugins and validation

  version(): { version: string; commit: string; kafka_cluster_id: string } {
    return { version: this.#options.version, commit: 'unknown', kafka_cluster_id: this.#clusterId }
  }

  plugins(): PluginInfo[] {
    return this.#options.plugins.map((p) => ({
      class: p.className,
      type: p.type,
      version: p.version,
      aliases: p.aliases,
    }))
  }

  pluginConfigDef(pluginClass: string): readonly ConfigField[] {
    return [...runtimeConfigDef, ...this.#plugin(pluginClass).configDef]
  }

  validate(pluginClass: string, config: ConfigMap): ValidationResult {
    const plugin = this.#plugin(pluginClass)
    const merged = { ...config, 'connector.class': config['connector.class'] ?? pluginClass }
    return validationResult(
      plugin.className,
      this.pluginConfigDef(pluginClass),
      merged,
      this.#issues(plugin, merged),
    )
  }

  // ---- ConnectService: connectors

  async list(): Promise<string[]> {
    await this.#configs.refresh()
    return this.#configs.names()
  }

  async create(name: string, config: ConfigMap): Promise<ConnectorInfo> {
    await this.#configs.refresh()
    if (this.#configs.get(name) !== undefined) {
      throw new CdcError(
        'CDC_API_CONNECTOR_EXISTS',
        `connector ${name} already exists; change it with PUT /connectors/${name}/config`,
      )
    }
    const stored = this.#checked(name, config)
    await this.#configs.putTarget(name, 'STARTED')
    await this.#configs.putConfig(name, stored)
    return this.#info(name, stored)
  }

  async putConfig(
    name: string,
    config: ConfigMap,
  ): Promise<{ info: ConnectorInfo; created: boolean }> {
    await this.#configs.refresh()
    const created = this.#configs.get(name) === undefined
    const stored = this.#checked(name, config)
    if (created) await this.#configs.putTarget(name, 'STARTED')
    await this.#configs.putConfig(name, stored)
    return { info: this.#info(name, stored), created }
  }

  async info(name: string): Promise<ConnectorInfo> {
    return this.#info(name, (await this.#existing(name)).config)
  }

  async config(name: string): Promise<ConfigMap> {
    return (await this.#existing(name)).config
  }

  async status(name: string): Promise<ConnectorStatus> {
    const stored = await this.#existing(name)
    await this.#statuses.refresh()
    await this.#offsets.refresh()
    const position = this.#offsets.positions(name)[0]?.position ?? null
    return connectorStatus(
      name,
      stored.target,
      this.#statuses.get(name),
      this.#runners.get(name),
      position,
    )
  }

  async pause(name: string): Promise<void> {
    await this.#existing(name)
    await this.#configs.putTarget(name, 'PAUSED')
  }

  async resume(name: string): Promise<void> {
    await this.#existing(name)
    await this.#configs.putTarget(name, 'STARTED')
  }

  async stop(name: string): Promise<void> {
    await this.#existing(name)
    await this.#configs.putTarget(name, 'STOPPED')
  }

  async restart(
    name: string,
    options: { includeTasks: boolean; onlyFailed: boolean },
  ): Promise<void> {
    await this.#existing(name)
    await this.#configs.request(name, { type: 'restart', onlyFailed: options.onlyFailed })
  }

  async delete(name: string): Promise<void> {
    const stored = await this.#existing(name)
    await this.#configs.remove(name)
    await this.#reconciling
    await this.#statuses.remove(name)
    // Unlike Kafka Connect, a deleted connector's positions go with it: a new connector of
    // the same name starts afresh instead of resuming from a slot or binlog position that
    // the delete may have dropped. Stopping (not deleting) keeps them.
    await this.#offsets.refresh()
    for (const stored of this.#offsets.positions(name)) {
      if (stored.position !== null) await this.#offsets.write({ ...stored, position: null })
    }
    const plugin = this.#plugin(stored.config['connector.class'] ?? '')
    if (plugin.cleanup !== undefined) {
      const { config } = resolveConfig(stored.config)
      await plugin.cleanup(config).catch((error: unknown) => {
        this.#options.logger.warn('cleanup after delete failed', {
          connector: name,
          error: String(error),
        })
      })
    }
  }

  async topics(name: string): Promise<string[]> {
    await this.#existing(name)
    await this.#statuses.refresh()
    return this.#statuses.topics(name)
  }

  async resetTopics(name: string): Promise<void> {
    await this.#existing(name)
    await this.#statuses.resetTopics(name)
  }

  async offsets(name: string): Promise<ConnectorOffsets> {
    await this.#existing(name)
    await this.#offsets.refresh()
    return {
      offsets: this.#offsets
        .positions(name)
        .filter((p) => p.position !== null)
        .map((p) => ({ partition: p.partition, offset: p.position })),
    }
  }

  async alterOffsets(name: string, offsets: ConnectorOffsets): Promise<void> {
    await this.#requireStopped(name)
    for (const entry of offsets.offsets) {
      await this.#offsets.write({
        connector: name,
        partition: entry.partition,
        position: entry.offset as Position | null,
      })
    }
  }

  async resetOffsets(name: string): Promise<void> {
    await this.#requireStopped(name)
    await this.#offsets.refresh()
    for (const stored of this.#offsets.positions(name)) {
      await this.#offsets.write({ ...stored, position: null })
    }
  }

  async lag(name: string): Promise<SourceLag> {
    const stored = await this.#existing(name)
    const plugin = this.#plugin(stored.config['connector.class'] ?? '')
    if (plugin.lag === undefined) return {}
    await this.#offsets.refresh()
    const { config } = resolveConfig(stored.config)
    return plugin.lag(config, this.#offsets.positions(name)[0]?.position ?? null)
  }

  async snapshot(name: string, tables: readonly string[]): Promise<void> {
    const stored = await this.#existing(name)
    if (stored.target !== 'STARTED') {
      throw new CdcError(
        'CDC_API_CONFLICT',
        `connector ${name} is ${stored.target}; ad-hoc snapshots are taken only while it streams: PUT /connectors/${name}/resume first`,
      )
    }
    const local = this.#runners.get(name)
    if (local !== undefined) {
      // Running here: ask the task directly, so a connector that cannot take ad-hoc
      // snapshots answers with a clear 409 instead of a request that silently does nothing.
      await local.requestSnapshot(tables)
      return
    }
    await this.#configs.request(name, { type: 'snapshot', tables })
  }

  async health(): Promise<{ status: 'UP' | 'DOWN'; checks: Record<string, 'UP' | 'DOWN'> }> {
    const checks: Record<string, 'UP' | 'DOWN'> = {}
    const probes: Record<string, () => Promise<boolean>> = {
      kafka: () => this.#options.kafka.admin.exists(this.#options.topics.configs),
      ...this.#options.healthChecks,
    }
    for (const [check, probe] of Object.entries(probes)) {
      checks[check] = (await probe().catch(() => false)) ? 'UP' : 'DOWN'
    }
    return { status: Object.values(checks).every((c) => c === 'UP') ? 'UP' : 'DOWN', checks }
  }

  async metrics(): Promise<ConnectorMetrics[]> {
    const names = this.#configs.names()
    return Promise.all(
      names.map(async (name) => {
        const stored = this.#configs.get(name)
        const runner = this.#runners.get(name)
        const lag = runner === undefined ? null : await this.lag(name).catch(() => null)
        return metricsOf(name, stored?.target ?? 'STARTED', this.#statuses.get(name), runner, lag)
      }),
    )
  }

  // ---- reconciliation: run exactly the connectors this instance owns

  #onConfigChange(name: string, change: ConfigChange): void {
    if (change.kind === 'request' && this.#owns(name)) {
      const request = change.request
      this.#reconciling = this.#reconciling.then(async () => {
        const runner = this.#runners.get(name)
        if (request.type === 'restart') {
          const failed = this.#statuses.get(name)?.state === 'FAILED'
          if (request.onlyFailed && !failed) return
          await runner?.stop()
          this.#runners.delete(name)
          return
        }
        // Not awaited: a request is recorded only at the next transaction boundary, and
        // reconciling (stops, pauses) must not wait for that.
        void runner?.requestSnapshot(request.tables).catch((error: unknown) => {
          this.#options.logger.warn('ad-hoc snapshot request failed', {
            connector: name,
            error: String(error),
          })
        })
      })
    }
    this.#schedule()
  }

  #schedule(): void {
    if (this.#closed) return
    this.#reconciling = this.#reconciling
      .then(() => this.#reconcile())
      .catch((error: unknown) => {
        this.#options.logger.error('reconciling connectors failed', { error: String(error) })
      })
  }

  async #reconcile(): Promise<void> {
    const names = new Set(this.#configs.names())
    for (const [name, runner] of this.#runners) {
      const stored = this.#configs.get(name)
      const reconfigured =
        stored !== undefined && !sameConfig(this.#startedWith.get(runner), stored.config)
      if (!names.has(name) || !this.#owns(name) || stored?.target !== 'STARTED' || reconfigured) {
        await runner.stop()
        this.#runners.delete(name)
        if (stored !== undefined && this.#owns(name))
          await this.#report(name, targetToState(stored.target), null)
      }
    }
    for (const name of names) {
      const stored = this.#configs.get(name)
      if (stored === undefined || !this.#owns(name)) continue
      if (stored.target !== 'STARTED') {
        const current = this.#statuses.get(name)?.state
        if (current !== targetToState(stored.target))
          await this.#report(name, targetToState(stored.target), null)
        continue
      }
      if (this.#runners.has(name)) continue
      this.#startRunner(name, stored.config)
    }
  }

  #startRunner(name: string, storedConfig: ConfigMap): void {
    const { logger } = this.#options
    const plugin = this.#plugin(storedConfig['connector.class'] ?? '')
    const resolved = resolveConfig(storedConfig)
    const partition: SourcePartition = { server: name }
    const connectorLogger = {
      info: (message: string, fields?: Record<string, unknown>) => {
        logger.info(message, { connector: name, ...fields })
      },
      warn: (message: string, fields?: Record<string, unknown>) => {
        logger.warn(message, { connector: name, ...fields })
      },
      error: (message: string, fields?: Record<string, unknown>) => {
        logger.error(message, { connector: name, ...fields })
      },
    }
    const runner = new ConnectorRunner({
      name,
      plugin,
      config: resolved.config,
      maxRetries: runtimeSettings(resolved.config).maxRetries,
      logger: connectorLogger,
      loadPosition: async () => {
        await this.#offsets.refresh()
        return (
          this.#offsets.positions(name).find((p) => p.partition.server === name)?.position ?? null
        )
      },
      createSink: () =>
        this.#options.createSink({
          name,
          partition,
          config: resolved.config,
          settings: runtimeSettings(resolved.config),
          offsetsTopic: this.#options.topics.offsets,
          onTopic: (topic) => {
            void this.#statuses.addTopic(name, topic).catch(() => undefined)
          },
        }),
      onState: (state, error) => {
        void this.#report(name, state, error)
      },
    })
    this.#runners.set(name, runner)
    this.#startedWith.set(runner, storedConfig)
    logger.info('starting connector', { connector: name, class: plugin.className })
    runner.start()
  }

  async #report(name: string, state: RunState, error: CdcError | null): Promise<void> {
    await this.#statuses
      .put(name, {
        state,
        workerId: this.#options.workerId,
        generation: ++this.#generation,
        error:
          error === null
            ? null
            : {
                code: error.code,
                message: error.message,
                retriable: error.retriable,
                trace: error.stack ?? error.message,
              },
      })
      .catch((cause: unknown) => {
        this.#options.logger.warn('could not store connector status', {
          connector: name,
          error: String(cause),
        })
      })
  }

  #owns(name: string): boolean {
    if (this.#slots.has(this.#membership.slotOf(name))) return true
    // Plugins that share their work between instances themselves run on every one.
    const pluginClass = this.#configs.get(name)?.config['connector.class'] ?? ''
    return this.#options.plugins.some(
      (p) =>
        p.runsOnEveryInstance === true &&
        (p.className === pluginClass || p.aliases.includes(pluginClass)),
    )
  }

  // ---- helpers

  #plugin(pluginClass: string): ConnectorPlugin {
    const plugin = this.#options.plugins.find(
      (p) => p.className === pluginClass || p.aliases.includes(pluginClass),
    )
    if (plugin === undefined) {
      const known = this.#options.plugins.flatMap((p) => [p.className, ...p.aliases]).join(', ')
      throw new CdcError(
        'CDC_API_PLUGIN_NOT_FOUND',
        `no connector plugin named ${JSON.stringify(pluginClass)}; installed: ${known}`,
      )
    }
    return plugin
  }

  #issues(plugin: ConnectorPlugin, config: ConfigMap) {
    const resolved = resolveConfig(config)
    return [
      ...resolved.issues,
      ...validateRuntimeConfig(config),
      ...plugin.validate(resolved.config),
    ]
  }

  /** Validates a config for storing; throws CDC_CONFIG_INVALID naming every problem. */
  #checked(name: string, config: ConfigMap): ConfigMap {
    const pluginClass = config['connector.class']
    if (pluginClass === undefined || pluginClass === '') {
      throw new CdcError(
        'CDC_CONFIG_INVALID',
        'connector.class is required: name a plugin from GET /connector-plugins',
        {
          details: { issues: [{ field: 'connector.class', message: 'is required' }] },
        },
      )
    }
    if (config.name !== undefined && config.name !== name) {
      throw new CdcError(
        'CDC_CONFIG_INVALID',
        `config name ${JSON.stringify(config.name)} does not match the connector name ${JSON.stringify(name)}`,
        {
          details: { issues: [{ field: 'name', message: 'must match the connector name' }] },
        },
      )
    }
    const stored = { ...config, name }
    const issues = this.#issues(this.#plugin(pluginClass), stored)
    if (issues.length > 0) {
      throw new CdcError(
        'CDC_CONFIG_INVALID',
        `connector ${name} has ${issues.length} invalid setting(s): ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
        { details: { issues } },
      )
    }
    return stored
  }

  async #existing(name: string) {
    await this.#configs.refresh()
    const stored = this.#configs.get(name)
    if (stored === undefined) {
      throw new CdcError(
        'CDC_API_CONNECTOR_NOT_FOUND',
        `no connector named ${JSON.stringify(name)}; GET /connectors lists them`,
      )
    }
    return stored
  }

  async #requireStopped(name: string): Promise<void> {
    const stored = await this.#existing(name)
    if (stored.target !== 'STOPPED' || this.#runners.has(name)) {
      throw new CdcError(
        'CDC_API_CONFLICT',
        `offsets of ${name} can only be changed while it is STOPPED; run PUT /connectors/${name}/stop first`,
      )
    }
  }

  #info(name: string, config: ConfigMap): ConnectorInfo {
    return { name, config, tasks: [{ connector: name, task: 0 }], type: 'source' }
  }
}

function sameConfig(a: ConfigMap | undefined, b: ConfigMap): boolean {
  if (a === undefined) return false
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key])
}

function targetToState(target: TargetState): RunState {
  return target === 'STARTED' ? 'RUNNING' : target
}
