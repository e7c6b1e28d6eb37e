// The pieces of the Kafka side that the bench scripts share: registries, counting wrappers
// around the sink's producer and encoder, and clean-up of what a run created.
import { setTimeout as delay } from 'node:timers/promises'
import type { ChangeRecord } from '../../envelope/change-record.ts'
import type { RecordEncoder } from '../../kafka/kafka-change-sink.ts'
import type { KafkaClient } from '../../kafka/kafka-client.ts'
import {
  KafkaProducer,
  type KafkaTransaction,
  type OutgoingRecord,
} from '../../kafka/kafka-producer.ts'
import { KafkaSchemaLog } from '../../kafka/kafka-schema-log.ts'
import type { KafkaSettings } from '../../kafka/kafka-settings.ts'
import { ConfluentRegistryClient } from '../../registry/client/confluent-registry-client.ts'
import { createEmbeddedRegistry } from '../../registry/embedded/embedded-registry.ts'
import type { SchemaRegistryClient } from '../../registry/schema-registry.ts'
import { benchEnv } from './env.ts'

export const registryKinds = ['embedded', 'apicurio'] as const
export type RegistryKind = (typeof registryKinds)[number]

export function registryKind(value: string | undefined): RegistryKind {
  const kind = value ?? 'embedded'
  if (!(registryKinds as readonly string[]).includes(kind)) {
    throw new Error(`--registry must be one of ${registryKinds.join(', ')}, got ${kind}`)
  }
  return kind as RegistryKind
}

export interface BenchRegistry {
  url: string
  client: SchemaRegistryClient
  close(): Promise<void>
}

/**
 * The embedded registry in this process (as the service runs it when no external registry
 * is configured: KafkaSchemaLog on its own `_schemas`-style topic), or Apicurio's ccompat API.
 */
export async function startRegistry(
  kind: RegistryKind,
  kafka: KafkaClient,
  schemasTopic: string,
): Promise<BenchRegistry> {
  if (kind === 'apicurio') {
    const url = benchEnv.apicurioUrl
    return { url, client: new ConfluentRegistryClient({ url }), close: () => Promise.resolve() }
  }
  const embedded = createEmbeddedRegistry({ log: new KafkaSchemaLog(kafka, schemasTopic, 1) })
  const url = await embedded.listen('127.0.0.1', 0)
  return { url, client: new ConfluentRegistryClient({ url }), close: () => embedded.close() }
}

/** Deletes both subjects of each topic from Apicurio (soft, then hard); errors are ignored. */
export async function deleteApicurioSubjects(topics: readonly string[]): Promise<void> {
  for (const topic of topics) {
    for (const part of ['key', 'value']) {
      const subject = `${benchEnv.apicurioUrl}/subjects/${encodeURIComponent(`${topic}-${part}`)}`
      await fetch(subject, { method: 'DELETE' }).catch(() => undefined)
      await fetch(`${subject}?permanent=true`, { method: 'DELETE' }).catch(() => undefined)
    }
  }
}

/** Counts what the sink sends: produce calls, records and Kafka transactions. */
export class CountingProducer extends KafkaProducer {
  sends = 0
  records = 0
  transactions = 0

  constructor(settings: KafkaSettings, options: { transactionalId?: string } = {}) {
    super(settings, options)
  }

  override async send(records: readonly OutgoingRecord[]): Promise<void> {
    this.sends++
    this.records += records.length
    await super.send(records)
  }

  override async beginTransaction(): Promise<KafkaTransaction> {
    this.transactions++
    const transaction = await super.beginTransaction()
    return {
      send: async (records) => {
        this.sends++
        this.records += records.length
        await transaction.send(records)
      },
      commit: () => transaction.commit(),
      abort: () => transaction.abort(),
    }
  }
}

/** Wraps an encoder to count the key and value bytes it hands to Kafka. */
export class CountingEncoder implements RecordEncoder {
  bytes = 0
  records = 0
  readonly #inner: RecordEncoder

  constructor(inner: RecordEncoder) {
    this.#inner = inner
  }

  async encode(record: ChangeRecord): Promise<{ key: Buffer | null; value: Buffer | null }> {
    const encoded = await this.#inner.encode(record)
    this.records++
    this.bytes += (encoded.key?.length ?? 0) + (encoded.value?.length ?? 0)
    return encoded
  }
}

/** Deletes the topics that exist among `topics`; never throws (clean-up after failures). */
export async function deleteTopics(kafka: KafkaClient, topics: readonly string[]): Promise<void> {
  for (const topic of topics) {
    try {
      if (await kafka.admin.exists(topic)) await kafka.admin.deleteTopics([topic])
    } catch (error) {
      console.error(`could not delete topic ${topic}: ${(error as Error).message}`)
    }
  }
}

/** Creates a compacted single-partition topic, as the service's OffsetStore does at start. */
export async function ensureOffsetsTopic(kafka: KafkaClient, topic: string): Promise<void> {
  await kafka.admin.ensureTopic({
    name: topic,
    partitions: 1,
    replicationFactor: 1,
    configs: { 'cleanup.policy': 'compact' },
  })
}

/** Resolves once `probe` holds, polling; throws after `timeoutMs`. */
export async function waitUntil(
  what: string,
  probe: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await probe())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await delay(intervalMs)
  }
}
