import { CdcError } from '../common/errors.ts'
import type {
  ConfigField,
  ConfigIssue,
  ConnectorConfig,
  ConnectorContext,
  ConnectorPlugin,
  ConnectorTask,
} from '../connectors/plugin.ts'
import type { Position } from '../connectors/ports.ts'
import type { KafkaSettings } from '../kafka/kafka-settings.ts'
import { ConfluentRegistryClient } from '../registry/client/confluent-registry-client.ts'
import { joinConfigDef, joinConnectorClass } from './join-config-def.ts'
import { parseJoinConfig, validateJoinConfig } from './join-config.ts'
import { JoinWorker } from './join-worker.ts'

/**
 * The stream-table join as a connector the service runtime can run. The plugin contract
 * only knows `type: 'source'`; the join is one in the sense that it produces records, but
 * it ignores the context's ChangeSink and positions: it reads Kafka and writes Kafka
 * through its own transactional producer, and its progress lives in the stream consumer
 * group's committed offsets and its LMDB replica (`state.dir`).
 *
 * Kafka: `KAFKA_BOOTSTRAP_SERVERS` (comma-separated, default 127.0.0.1:9092). Schema
 * registry (Avro inputs, output.format=avro): the config property `schema.registry.url`,
 * else `SCHEMA_REGISTRY_URL`.
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
    const worker = new JoinWorker({
      config: { ...config, name },
      kafka: joinKafkaSettings(name),
      registry: url === null ? null : new ConfluentRegistryClient({ url }),
      outputReplicationFactor: factor,
      monitor: this.#context.monitor,
    })
    await worker.run(signal)
  }
}

export const joinConnectorPlugin: ConnectorPlugin = {
  className: joinPluginClass,
  aliases: [joinConnectorClass],
  // The contract's only type; see above.
  type: 'source',
  version: joinPluginVersion,
  configDef: pluginConfigDef,
  validate,
  create: (config, context) => new JoinTask(config, context),
}
