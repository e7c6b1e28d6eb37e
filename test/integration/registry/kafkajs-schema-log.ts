import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs'
import type { SchemaLog, SchemaLogEntry } from '../../../registry/embedded/schema-log.ts'
import { testEnv } from '../../helpers/env.ts'
import { uniqueName } from '../../helpers/names.ts'

/**
 * A test-only SchemaLog on a compacted single-partition topic, written with kafkajs
 * directly, to prove the registry rebuilds from Kafka. The service's own log is
 * kafka/kafka-schema-log.ts; both run the same contract (schema-log-contract.ts).
 */
export class KafkajsSchemaLog implements SchemaLog {
  readonly #topic: string
  readonly #producer: Producer
  readonly #consumer: Consumer
  readonly #admin: Admin
  #buffer: SchemaLogEntry[] = []
  /** The offset after the last message consumed. */
  #next = 0
  #waiters: { offset: number; resolve: () => void }[] = []

  private constructor(kafka: Kafka, topic: string) {
    this.#topic = topic
    this.#admin = kafka.admin()
    this.#producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
    this.#consumer = kafka.consumer({ groupId: uniqueName('schema_log_reader') })
  }

  /** Creates the topic when missing (1 partition, compacted) and starts reading it. */
  static async open(topic: string): Promise<KafkajsSchemaLog> {
    const kafka = new Kafka({
      clientId: 'registry-test-log',
      brokers: [...testEnv.kafkaBrokers],
      logLevel: logLevel.NOTHING,
    })
    const log = new KafkajsSchemaLog(kafka, topic)
    await log.#admin.connect()
    const existing = await log.#admin.listTopics()
    if (!existing.includes(topic)) {
      await log.#admin.createTopics({
        topics: [
          {
            topic,
            numPartitions: 1,
            replicationFactor: 1,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
        waitForLeaders: true,
      })
    }
    await log.#producer.connect()
    await log.#consumer.connect()
    await log.#consumer.subscribe({ topic, fromBeginning: true })
    await log.#consumer.run({
      autoCommit: false,
      eachMessage: ({ message }) => {
        log.#buffer.push({
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? null,
        })
        log.#advance(Number(message.offset) + 1)
        return Promise.resolve()
      },
    })
    return log
  }

  async append(key: string, value: string | null): Promise<void> {
    await this.#producer.send({ topic: this.#topic, acks: -1, messages: [{ key, value }] })
  }

  async readNew(): Promise<readonly SchemaLogEntry[]> {
    const [partition] = await this.#admin.fetchTopicOffsets(this.#topic)
    const end = Number(partition?.high ?? 0)
    if (this.#next < end) {
      await new Promise<void>((resolve, reject) => {
        this.#waiters.push({ offset: end, resolve })
        AbortSignal.timeout(30_000).addEventListener('abort', () => {
          reject(new Error(`schema log ${this.#topic} not read to offset ${end} within 30 s`))
        })
      })
    }
    const entries = this.#buffer
    this.#buffer = []
    return entries
  }

  async close(): Promise<void> {
    await this.#consumer.disconnect()
    await this.#producer.disconnect()
    await this.#admin.disconnect()
  }

  /** Deletes a topic the tests created. */
  static async remove(topic: string): Promise<void> {
    const kafka = new Kafka({
      clientId: 'registry-test-log',
      brokers: [...testEnv.kafkaBrokers],
      logLevel: logLevel.NOTHING,
    })
    const admin = kafka.admin()
    await admin.connect()
    try {
      await admin.deleteTopics({ topics: [topic] })
    } finally {
      await admin.disconnect()
    }
  }

  #advance(next: number): void {
    // Compaction leaves gaps in the offsets; the high watermark is what counts.
    this.#next = Math.max(this.#next, next)
    const ready = this.#waiters.filter((waiter) => waiter.offset <= this.#next)
    this.#waiters = this.#waiters.filter((waiter) => waiter.offset > this.#next)
    for (const waiter of ready) waiter.resolve()
  }
}
