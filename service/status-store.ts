import type { KafkaClient } from '../kafka/kafka-client.ts'
import type { KafkaProducer } from '../kafka/kafka-producer.ts'
import type { TopicReader } from '../kafka/topic-reader.ts'

export const runStates = ['UNASSIGNED', 'RUNNING', 'PAUSED', 'STOPPED', 'FAILED'] as const
export type RunState = (typeof runStates)[number]

/** A connector's state as the instance running it last reported it. */
export interface StoredStatus {
  state: RunState
  workerId: string
  /** Bumped by every report, so a stale instance's late write is recognisable. */
  generation: number
  error: { code: string; message: string; retriable: boolean; trace: string } | null
}

/**
 * Connector statuses in a compacted topic (`status-connector-<name>`), Kafka Connect's
 * layout, so that any instance can answer `GET /connectors/{name}/status` for a connector
 * another instance runs.
 */
export class StatusStore {
  readonly topic: string
  readonly #kafka: KafkaClient
  readonly #statuses = new Map<string, StoredStatus>()
  readonly #topics = new Map<string, Set<string>>()
  #reader: TopicReader | undefined
  #producer: KafkaProducer | undefined

  constructor(kafka: KafkaClient, topic: string) {
    this.#kafka = kafka
    this.topic = topic
  }

  async start(replicationFactor: number): Promise<void> {
    await this.#kafka.admin.ensureTopic({
      name: this.topic,
      partitions: 1,
      replicationFactor,
      configs: { 'cleanup.policy': 'compact' },
    })
    this.#producer = this.#kafka.producer()
    this.#reader = this.#kafka.reader(this.topic)
    await this.#reader.start((record) => {
      const key = record.key?.toString()
      if (key?.startsWith('topic-') === true) {
        this.#applyTopic(key, record.value !== null)
        return
      }
      if (key?.startsWith('status-connector-') !== true) return
      const name = key.slice('status-connector-'.length)
      if (record.value === null) this.#statuses.delete(name)
      else this.#statuses.set(name, JSON.parse(record.value.toString()) as StoredStatus)
    })
  }

  get(name: string): StoredStatus | undefined {
    return this.#statuses.get(name)
  }

  async put(name: string, status: StoredStatus): Promise<void> {
    this.#statuses.set(name, status)
    await this.#send(name, Buffer.from(JSON.stringify(status)))
  }

  async remove(name: string): Promise<void> {
    this.#statuses.delete(name)
    await this.#send(name, null)
  }

  /** Topics a connector has written to (Connect's `GET /connectors/{name}/topics`). */
  topics(name: string): string[] {
    return [...(this.#topics.get(name) ?? [])].sort()
  }

  async addTopic(name: string, topic: string): Promise<void> {
    if (this.#topics.get(name)?.has(topic) === true) return
    this.#applyTopic(topicKey(name, topic), true)
    await this.#sendKey(
      topicKey(name, topic),
      Buffer.from(JSON.stringify({ topic, connector: name })),
    )
  }

  async resetTopics(name: string): Promise<void> {
    for (const topic of this.topics(name)) {
      this.#applyTopic(topicKey(name, topic), false)
      await this.#sendKey(topicKey(name, topic), null)
    }
  }

  async refresh(): Promise<void> {
    await this.#reader?.catchUp()
  }

  async close(): Promise<void> {
    await this.#reader?.close()
    await this.#producer?.close()
  }

  async #send(name: string, value: Buffer | null): Promise<void> {
    await this.#sendKey(`status-connector-${name}`, value)
  }

  async #sendKey(key: string, value: Buffer | null): Promise<void> {
    if (this.#producer === undefined) throw new Error('StatusStore used before start')
    await this.#producer.send([{ topic: this.topic, key: Buffer.from(key), value }])
  }

  #applyTopic(key: string, present: boolean): void {
    const [name, topic] = JSON.parse(key.slice('topic-'.length)) as [string, string]
    const set = this.#topics.get(name) ?? new Set<string>()
    if (present) set.add(topic)
    else set.delete(topic)
    this.#topics.set(name, set)
  }
}

// Connect writes `topic-<topic>-connector-<name>`, which cannot be split back when a name
// contains "-connector-"; a JSON pair can.
function topicKey(name: string, topic: string): string {
  return `topic-${JSON.stringify([name, topic])}`
}
