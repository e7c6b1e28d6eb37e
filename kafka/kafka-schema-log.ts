import { CdcError } from '../common/errors.ts'
import type { SchemaLog, SchemaLogEntry } from '../registry/embedded/schema-log.ts'
import type { KafkaClient } from './kafka-client.ts'
import type { KafkaProducer } from './kafka-producer.ts'
import type { TopicReader } from './topic-reader.ts'

/**
 * The embedded registry's log on a Kafka topic laid out as Confluent's `_schemas`: one
 * partition (the replay order is the log order), compacted (the last value of each key is
 * all a replay needs). Several registry instances over one topic agree once each has read
 * to its end.
 */
export class KafkaSchemaLog implements SchemaLog {
  readonly #kafka: KafkaClient
  readonly #topic: string
  readonly #replicationFactor: number
  #reader: TopicReader | undefined
  #producer: KafkaProducer | undefined
  #pending: SchemaLogEntry[] = []
  #starting: Promise<void> | undefined

  constructor(kafka: KafkaClient, topic: string, replicationFactor: number) {
    this.#kafka = kafka
    this.#topic = topic
    this.#replicationFactor = replicationFactor
  }

  async append(key: string, value: string | null): Promise<void> {
    await this.#start()
    await this.#producer?.send([
      {
        topic: this.#topic,
        key: Buffer.from(key),
        value: value === null ? null : Buffer.from(value),
      },
    ])
  }

  async readNew(): Promise<readonly SchemaLogEntry[]> {
    await this.#start()
    await this.#reader?.catchUp()
    const entries = this.#pending
    this.#pending = []
    return entries
  }

  async close(): Promise<void> {
    await this.#reader?.close()
    await this.#producer?.close()
  }

  #start(): Promise<void> {
    // Concurrent first calls share one start, so there is only ever one reader.
    this.#starting ??= this.#open()
    return this.#starting
  }

  async #open(): Promise<void> {
    const admin = this.#kafka.admin
    await admin.ensureTopic({
      name: this.#topic,
      partitions: 1,
      replicationFactor: this.#replicationFactor,
      configs: { 'cleanup.policy': 'compact' },
    })
    const description = await admin.describeTopic(this.#topic)
    // Confluent refuses to start on such a topic too: with several partitions the replay
    // order is lost, without compaction old schemas are deleted by retention.
    if (description.partitions !== 1 || description.configs['cleanup.policy'] !== 'compact') {
      throw new CdcError(
        'CDC_KAFKA_TOPIC_CONFIG',
        `schema topic ${this.#topic} must have exactly 1 partition and cleanup.policy=compact, but has ${description.partitions} partition(s) and cleanup.policy=${description.configs['cleanup.policy'] ?? 'unknown'}; point CDC_SCHEMAS_TOPIC at another topic or recreate it`,
      )
    }
    this.#producer = this.#kafka.producer()
    const reader = this.#kafka.reader(this.#topic)
    this.#reader = reader
    await reader.start((record) => {
      if (record.key === null) return
      this.#pending.push({ key: record.key.toString(), value: record.value?.toString() ?? null })
    })
  }
}
