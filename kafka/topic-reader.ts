import { randomUUID } from 'node:crypto'
import {
  Consumer,
  FetchIsolationLevels,
  stringDeserializer,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka'
import { CdcError } from '../common/errors.ts'
import type { KafkaAdmin } from './kafka-admin.ts'
import { toCdcError } from './kafka-errors.ts'
import { clientOptions, type KafkaSettings } from './kafka-settings.ts'

/** A record as read back. A null value is a tombstone. */
export interface IncomingRecord {
  topic: string
  partition: number
  offset: bigint
  key: Buffer | null
  value: Buffer | null
  headers: ReadonlyMap<string, string>
  timestamp: bigint
}

type Stream = MessagesStream<Buffer, Buffer, string, string>

// The client types keys and values as always present; a null key or tombstone value
// arrives as undefined or null at run time.
function nullable(value: Buffer | null | undefined): Buffer | null {
  return value ?? null
}

/**
 * Reads a whole topic from the beginning, read_committed, then keeps following it: the
 * way Kafka Connect's KafkaBasedLog reads its config, status and offset topics. It uses a
 * private consumer group of its own so that every reader sees every partition.
 */
export class TopicReader {
  readonly #admin: KafkaAdmin
  readonly #topic: string
  readonly #consumer: Consumer<Buffer, Buffer, string, string>
  readonly #groupId: string
  #stream: Stream | undefined
  #partitions = 0
  #failure: CdcError | undefined
  readonly #waiters = new Set<() => void>()

  constructor(settings: KafkaSettings, admin: KafkaAdmin, topic: string) {
    this.#admin = admin
    this.#topic = topic
    this.#groupId = `${settings.clientId}-reader-${randomUUID()}`
    this.#consumer = new Consumer<Buffer, Buffer, string, string>({
      ...clientOptions(settings, 'reader'),
      groupId: this.#groupId,
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
      deserializers: { headerKey: stringDeserializer, headerValue: stringDeserializer },
      maxWaitTime: 200,
    })
  }

  /**
   * Starts reading; every record goes to `onRecord` in offset order per partition.
   * Resolves once every record that was readable when it was called has been delivered.
   */
  async start(onRecord: (record: IncomingRecord) => void): Promise<void> {
    const description = await this.#admin.describeTopic(this.#topic)
    this.#partitions = description.partitions
    try {
      this.#stream = await this.#consumer.consume({
        topics: [this.#topic],
        mode: 'earliest',
        fallbackMode: 'earliest',
        autocommit: false,
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
      })
    } catch (error) {
      throw toCdcError(error, 'CDC_KAFKA_CONNECTION', `reading topic ${this.#topic}`)
    }
    this.#stream.on('data', (message: Message<Buffer, Buffer, string, string>) => {
      onRecord({
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        key: nullable(message.key),
        value: nullable(message.value),
        headers: message.headers,
        timestamp: message.timestamp,
      })
    })
    // The client reports a failed group rejoin (e.g. NOT_COORDINATOR right after a broker
    // outage) as an 'error' event, which would end the process without a listener. This
    // reader's group exists only to fetch: it commits nothing, and fetching goes on with
    // the partitions it has, so the event is not a failure of the reader.
    this.#consumer.on('error', () => undefined)
    this.#stream.on('fetch', () => {
      this.#wake()
    })
    this.#stream.on('error', (error: unknown) => {
      this.#failure = toCdcError(error, 'CDC_KAFKA_CONNECTION', `reading topic ${this.#topic}`)
      this.#wake()
    })
    await this.catchUp()
  }

  /** Resolves once every record readable now has been delivered (read-your-writes). */
  async catchUp(timeoutMs = 30_000): Promise<void> {
    const stream = this.#stream
    if (stream === undefined) throw new Error('TopicReader.catchUp called before start')
    const ends = await this.#admin.endOffsets(this.#topic, this.#partitions)
    const deadline = Date.now() + timeoutMs
    const caughtUp = (): boolean =>
      [...ends].every(([partition, end]) => {
        if (end === 0n) return true
        const next = stream.offsetsToFetch.get(`${this.#topic}:${partition}`)
        return next !== undefined && next >= end
      })
    while (!caughtUp()) {
      if (this.#failure !== undefined) throw this.#failure
      if (Date.now() > deadline) {
        throw new CdcError(
          'CDC_KAFKA_CONNECTION',
          `could not read topic ${this.#topic} to its end within ${timeoutMs} ms; check that the broker is reachable`,
          { retriable: true },
        )
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250)
        this.#waiters.add(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  #wake(): void {
    for (const wake of this.#waiters) wake()
    this.#waiters.clear()
  }

  async close(): Promise<void> {
    await this.#stream?.close()
    await this.#consumer.close(true)
    // The group only existed for this reader; leaving it behind would clutter the broker.
    await this.#admin.deleteGroups([this.#groupId]).catch(() => undefined)
  }
}
