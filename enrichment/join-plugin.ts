import { setTimeout as delay } from 'node:timers/promises'
import { CdcError, errorMessage } from '../common/errors.ts'
import type {
  ConfigField,
  ConfigIssue,
  ConnectorConfig,
  ConnectorContext,
  ConnectorPlugin,
  ConnectorTask,
  SourceLag,
} from '../connectors/plugin.ts'
import type { Position } from '../connectors/ports.ts'
import { KafkaAdmin } from '../kafka/kafka-admin.ts'
import type { KafkaSettings } from '../kafka/kafka-settings.ts'
import { ConfluentRegistryClient } from '../registry/client/confluent-registry-client.ts'
import { joinConfigDef, joinConnectorClass } from './join-config-def.ts'
import { parseJoinConfig, validateJoinConfig } from './join-config.ts'
import { defaultJoinGroupId, JoinWorker } from './join-worker.ts'

/**
 * The stream-table join as a connector the service runtime can run. The plugin contract
 * only knows `type: 'source'`; the join is one in the sense that it produces records, but
 * it ignores the context's ChangeSink and positions: it reads Kafka and writes Kafka
 * through its own transactional producer, and its progress lives in the stream consumer
 * group's committed offsets and its LMDB replica (`state.dir`).
 *
 * It runs on every service instance (`runsOnEveryInstance`): the instances share the
 * stream partitions through the join's own consumer group and each keeps a full replica
 * of the table in its own `state.dir`.
 *
 * Kafka: `KAFKA_BOOTSTRAP_SERVERS` (comma-separated, default 127.0.0.1:9092). Schema
 * registry (Avro inputs, output.format=avro): the config property `schema.registry.url`,
 * else `SCHEMA_REGISTRY_URL`. The stream group's session timeout is the service's
 * (`CDC_SESSION_TIMEOUT_MS`, default 10 s): how long a dead instance keeps its partitions.
 */

export const joinPluginClass = 'io.cdc.enrichment.StreamTableJoin'
export const joinPluginVersion = '0.1.0'
const registryUrlKey = 'schema.registry.url'

const pluginConfigDef: readonly ConfigField[] = [
  ...joinConfigDef.map((field) =>
    field.name === 'connector.class'
      ? { ...field, doc: `${joinPluginClass} or ${joinConnectorClass}.` }
      : field,
  ),
  {
    name: registryUrlKey,
    type: 'string',
    required: false,
    importance: 'MEDIUM',
    group: 'Inputs',
    doc: 'Schema registry URL for Avro inputs and output.format=avro; defaults to the SCHEMA_REGISTRY_URL environment variable.',
  },
]

// join-config knows the short class name and not the registry URL; both are the plugin's.
function joinPart(config: ConnectorConfig): ConnectorConfig {
  const rest = Object.fromEntries(Object.entries(config).filter(([key]) => key !== registryUrlKey))
  const cls = rest['connector.class']?.trim()
  return cls === joinPluginClass ? { ...rest, 'connector.class': joinConnectorClass } : rest
}

function registryUrl(config: ConnectorConfig): string | null {
  const url = config[registryUrlKey]?.trim() ?? process.env.SCHEMA_REGISTRY_URL?.trim() ?? ''
  return url === '' ? null : url
}

export function joinKafkaSettings(name: string): KafkaSettings {
  const servers = process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092'
  return {
    brokers: servers
      .split(',')
      .map((server) => server.trim())
      .filter((server) => server !== ''),
    clientId: `cdc-join-${name}`,
  }
}

function sessionTimeoutMs(): number | undefined {
  const value = Number(process.env.CDC_SESSION_TIMEOUT_MS ?? '')
  return Number.isSafeInteger(value) && value > 0 ? value : undefined
}

// The joins running in this process, by connector name, for the lag endpoint.
const running = new Map<string, JoinWorker>()

/**
 * Records behind on each input: the stream side from the group's committed offsets (all
 * instances together), the table side from this instance's replica. Both count offsets,
 * so transaction markers are included.
 */
async function lag(config: ConnectorConfig): Promise<SourceLag> {
  const parsed = parseJoinConfig(joinPart(config))
  const name = parsed.name ?? parsed.outputTopic
  const admin = new KafkaAdmin(joinKafkaSettings(name))
  try {
    const { partitions } = await admin.describeTopic(parsed.streamTopic)
    const ends = await admin.endOffsets(parsed.streamTopic, partitions)
    const committed = await admin.committedOffsets(
      defaultJoinGroupId(parsed),
      parsed.streamTopic,
      partitions,
    )
    let streamBehind = 0n
    for (const [partition, end] of ends) {
      const next = committed.get(partition) ?? 0n
      if (end > next) streamBehind += end - next
    }
    const progress = running.get(name)?.progress() ?? null
    return {
      stream_topic: parsed.streamTopic,
      stream_records_behind: Number(streamBehind),
      stream_records_waiting: progress?.streamWaiting ?? null,
      table_topic: parsed.tableTopic,
      table_records_behind: progress?.tableBehind ?? null,
      table_bootstrapped: progress?.tableBootstrapped ?? null,
    }
  } finally {
    await admin.close().catch(() => undefined)
  }
}

const cleanupWaitMs = 15_000

/**
 * A deleted join's stream group goes with it, as a deleted connector's positions do: a new
 * join of the same name starts from the beginning of the stream instead of resuming there.
 * Instances still leaving the group make the delete fail for a moment; it is tried again.
 */
async function cleanup(config: ConnectorConfig): Promise<void> {
  const parsed = parseJoinConfig(joinPart(config))
  const admin = new KafkaAdmin(joinKafkaSettings(parsed.name ?? parsed.outputTopic))
  const deadline = Date.now() + cleanupWaitMs
  try {
    for (;;) {
      try {
        await admin.deleteGroups([defaultJoinGroupId(parsed)])
        return
      } catch (error) {
        if (/GROUP_ID_NOT_FOUND|does not exist/i.test(errorMessage(error))) return
        if (Date.now() > deadline) throw error
        await delay(250)
      }
    }
  } finally {
    await admin.close().catch(() => undefined)
  }
}

function validate(config: ConnectorConfig): ConfigIssue[] {
  const issues = validateJoinConfig(joinPart(config))
  const url = config[registryUrlKey]?.trim()
  if (url !== undefined && url !== '' && !URL.canParse(url)) {
    issues.push({ field: registryUrlKey, message: `${registryUrlKey} must be a URL, got ${url}` })
  }
  return issues
}

class JoinTask implements ConnectorTask {
  readonly #config: ConnectorConfig
  readonly #context: ConnectorContext

  constructor(config: ConnectorConfig, context: ConnectorContext) {
    this.#config = config
    this.#context = context
  }

  async run(_from: Position | null, signal: AbortSignal): Promise<void> {
    const config = parseJoinConfig(joinPart(this.#config))
    const name = config.name ?? this.#context.name
    const url = registryUrl(this.#config)
    const factor = Number(this.#config['topic.creation.default.replication.factor'] ?? '1')
    if (!Number.isSafeInteger(factor) || factor < 1) {
      throw new CdcError(
        'CDC_CONFIG_INVALID',
        'topic.creation.default.replication.factor must be a positive whole number',
      )
    }
    this.#context.monitor.phase('starting')
    const timeout = sessionTimeoutMs()
    const worker = new JoinWorker({
      config: { ...config, name },
      kafka: joinKafkaSettings(name),
      registry: url === null ? null : new ConfluentRegistryClient({ url }),
      outputReplicationFactor: factor,
      monitor: this.#context.monitor,
      ...(timeout === undefined ? {} : { sessionTimeoutMs: timeout }),
    })
    running.set(name, worker)
    try {
      await worker.run(signal)
    } finally {
      if (running.get(name) === worker) running.delete(name)
    }
  }
}

export const joinConnectorPlugin: ConnectorPlugin = {
  className: joinPluginClass,
  aliases: [joinConnectorClass],
  // The contract's only type; see above.
  type: 'source',
  version: joinPluginVersion,
  configDef: pluginConfigDef,
  runsOnEveryInstance: true,
  validate,
  create: (config, context) => new JoinTask(config, context),
  lag,
  cleanup,
}
