import type { Position } from '../connectors/ports.ts'
import { CdcError } from '../common/errors.ts'
import type { KafkaClient } from './kafka-client.ts'
import type { OutgoingRecord } from './kafka-producer.ts'
import type { TopicReader } from './topic-reader.ts'

/**
 * Source positions in a compacted topic, in Kafka Connect's layout so that tools which
 * read Connect's offsets topic read ours: the key is `["<connector>", {partition}]` and the
 * value the position as JSON (null once the offsets were reset).
 */
export type SourcePartition = Readonly<Record<string, string>>

export interface StoredPosition {
  connector: string
  partition: SourcePartition
  position: Position | null
}

export class OffsetStore {
  readonly topic: string
  readonly #kafka: KafkaClient
  readonly #positions = new Map<string, StoredPosition>()
  #reader: TopicReader | undefined

  constructor(kafka: KafkaClient, topic: string) {
    this.#kafka = kafka
    this.topic = topic
  }

  static record(topic: string, stored: StoredPosition): OutgoingRecord {
    return {
      topic,
      key: Buffer.from(JSON.stringify([stored.connector, stored.partition])),
      value: stored.position === null ? null : Buffer.from(JSON.stringify(stored.position)),
    }
  }

  async start(replicationFactor: number): Promise<void> {
    await this.#kafka.admin.ensureTopic({
      name: this.topic,
      partitions: 1,
      replicationFactor,
      configs: { 'cleanup.policy': 'compact' },
    })
    this.#reader = this.#kafka.reader(this.topic)
    await this.#reader.start((record) => {
      if (record.key === null) return
      const parsed = parseKey(record.key)
      if (parsed === undefined) return
      const position = record.value === null ? null : parsePosition(record.value)
      this.#positions.set(record.key.toString(), { ...parsed, position })
    })
  }

  /** Reads what other writers (a previous run, another instance) stored since start. */
  async refresh(): Promise<void> {
    await this.#reader?.catchUp()
  }

  positions(connector: string): StoredPosition[] {
    return [...this.#positions.values()].filter((p) => p.connector === connector)
  }

  async write(stored: StoredPosition): Promise<void> {
    const producer = this.#kafka.producer()
    try {
      await producer.send([OffsetStore.record(this.topic, stored)])
    } finally {
      await producer.close()
    }
    await this.refresh()
  }

  async close(): Promise<void> {
    await this.#reader?.close()
  }
}

function parseKey(key: Buffer): { connector: string; partition: SourcePartition } | undefined {
  try {
    const parsed: unknown = JSON.parse(key.toString())
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'string') return undefined
    const partition: unknown = parsed[1]
    if (typeof partition !== 'object' || partition === null) return undefined
    return { connector: parsed[0], partition: partition as SourcePartition }
  } catch {
    // Records written by other tools to the same topic are not ours to interpret.
    return undefined
  }
}

function parsePosition(value: Buffer): Position {
  const parsed: unknown = JSON.parse(value.toString())
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CdcError(
      'CDC_KAFKA_TOPIC_CONFIG',
      `offsets topic holds a position that is not a JSON object: ${value.toString()}`,
    )
  }
  return parsed as Position
}
