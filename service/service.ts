import { buildAdminApp } from '../admin-api/app.ts'
import { startAdminServer } from '../admin-api/server.ts'
import { CdcError, errorMessage } from '../common/errors.ts'
import { fieldsLogger, type Logger } from '../common/logger.ts'
import type { ConnectorPlugin } from '../connectors/plugin.ts'
import { KafkaClient } from '../kafka/kafka-client.ts'
import { KafkaSchemaLog } from '../kafka/kafka-schema-log.ts'
import { ConfluentRegistryClient } from '../registry/client/confluent-registry-client.ts'
import {
  createEmbeddedRegistry,
  type EmbeddedRegistry,
} from '../registry/embedded/embedded-registry.ts'
import type { ServiceSettings } from './settings.ts'
import { sinkFactory } from './sink-factory.ts'
import { Worker } from './worker.ts'

export interface RunningService {
  adminUrl: string
  registryUrl: string
  worker: Worker
  /** Stops every connector at a clean position and releases everything. */
  close(): Promise<void>
}

export const serviceVersion = '0.1.0'

/**
 * The composition root: the only place that builds concrete pieces and wires them
 * together (Kafka client, registry, worker, admin API).
 */
export async function startService(
  settings: ServiceSettings,
  plugins: readonly ConnectorPlugin[],
  logger: Logger,
): Promise<RunningService> {
  const kafka = new KafkaClient({
    brokers: settings.kafkaBrokers,
    clientId: `cdc-${settings.workerId}`,
  })
  await waitForKafka(kafka, settings, logger)

  let embedded: EmbeddedRegistry | undefined
  let registryUrl = settings.schemaRegistryUrl
  if (registryUrl === undefined) {
    embedded = createEmbeddedRegistry({
      log: new KafkaSchemaLog(kafka, settings.topics.schemas, settings.replicationFactor),
      logger: fieldsLogger(logger),
    })
    registryUrl = await embedded.listen(settings.registryHost, settings.registryPort)
    logger.info({ url: registryUrl }, 'embedded schema registry listening')
  }
  const registry = new ConfluentRegistryClient({ url: registryUrl })

  const worker = new Worker({
    workerId: settings.workerId,
    version: serviceVersion,
    kafka,
    plugins,
    topics: {
      configs: settings.topics.configs,
      status: settings.topics.status,
      offsets: settings.topics.offsets,
      slots: settings.topics.slots,
    },
    groupId: settings.groupId,
    replicationFactor: settings.replicationFactor,
    sessionTimeoutMs: settings.sessionTimeoutMs,
    createSink: sinkFactory(kafka, registry, settings.replicationFactor),
    logger: fieldsLogger(logger),
    healthChecks: {
      registry: async () => {
        const response = await fetch(`${registryUrl}/subjects`, {
          signal: AbortSignal.timeout(2_000),
        })
        return response.ok
      },
    },
  })
  await worker.start()

  const app = buildAdminApp({ service: worker, token: settings.apiToken, logger })
  const server = await startAdminServer(app, { host: settings.httpHost, port: settings.httpPort })
  const adminUrl = server.url
  logger.info({ url: adminUrl, workerId: settings.workerId }, 'admin API listening')

  return {
    adminUrl,
    registryUrl,
    worker,
    async close() {
      await server.close()
      await worker.close()
      await embedded?.close()
      await kafka.close()
    },
  }
}

async function waitForKafka(
  kafka: KafkaClient,
  settings: ServiceSettings,
  logger: Logger,
): Promise<void> {
  const deadline = Date.now() + 60_000
  for (let attempt = 0; ; attempt++) {
    try {
      await kafka.admin.clusterId()
      return
    } catch (error) {
      if (Date.now() > deadline) {
        throw new CdcError(
          'CDC_KAFKA_CONNECTION',
          `Kafka at ${settings.kafkaBrokers.join(',')} did not answer for 60 s (${errorMessage(error)}); check KAFKA_BOOTSTRAP_SERVERS and that the broker runs (npm run services -- up)`,
          { cause: error, retriable: true },
        )
      }
      if (attempt === 0) logger.warn({ brokers: settings.kafkaBrokers }, 'waiting for Kafka')
      await new Promise((resolve) => setTimeout(resolve, 1_000))
    }
  }
}
