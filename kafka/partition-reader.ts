import { randomUUID } from 'node:crypto'
import {
  Consumer,
  FetchIsolationLevels,
  stringDeserializer,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka'
import type { KafkaAdmin } from './kafka-admin.ts'
import { toCdcError } from './kafka-errors.ts'
import { clientOptions, type KafkaSettings } from './kafka-settings.ts'
import type { IncomingRecord } from './topic-reader.ts'

type Stream = MessagesStream<Buffer, Buffer, string, string>

/**
 * Reads every partition of one topic, read_committed, from offsets the caller gives (a
 * partition without one starts at its earliest offset), and keeps following it. Positions
 * are the caller's, not a group's: the reader sits alone in a private consumer group only
 * because the client assigns partitions through one; it never commits offsets there and
 * deletes the group on close.
 */
export class KafkaPartitionReader {
  readonly #admin: KafkaAdmin
  readonly #topic: string
  readonly #consumer: Consumer<Buffer, Buffer, string, string>
  readonly #groupId: string
  #stream: Stream | undefined

  constructor(settings: KafkaSettings, admin: KafkaAdmin, topic: string) {
    this.#admin = admin
    this.#topic = topic
    this.#groupId = `${settings.clientId}-partitions-${randomUUID()}`
    this.#consumer = new Consumer<Buffer, Buffer, string, string>({
      ...clientOptions(settings, 'partitions'),
      groupId: this.#groupId,
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
      deserializers: { headerKey: stringDeserializer, headerValue: stringDeserializer },
      maxWaitTime: 100,
    })
  }

  /**
   * Starts reading at `from` (null: the earliest offset). Records go to `onRecord` in
   * offset order per partition; `onError` gets a failure of the running stream.
   */
  async start(
    from: ReadonlyMap<number, bigint | null>,
    onRecord: (record: IncomingRecord) => void,
    onError: (error: Error) => void,
  ): Promise<void> {
    const offsets = [...from]
      .filter((entry): entry is [number, bigint] => entry[1] !== null)
      .map(([partition, offset]) => ({ topic: this.#topic, partition, offset }))
    try {
      this.#stream = await this.#consumer.consume({
        topics: [this.#topic],
        autocommit: false,
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        ...(offsets.length > 0
          ? { mode: 'manual', offsets, fallbackMode: 'earliest' }
          : { mode: 'earliest', fallbackMode: 'earliest' }),
      })
    } catch (error) {
      throw toCdcError(error, 'CDC_KAFKA_CONNECTION', `reading topic ${this.#topic}`)
    }
    // The client reports a failed group rejoin (e.g. NOT_COORDINATOR right after a broker
    // outage) as an 'error' event, which would end the process without a listener. This
    // reader's group exists only to fetch: it commits nothing, and fetching goes on with
    // the partitions it has, so the event is not a failure of the reader.
    this.#consumer.on('error', () => undefined)
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
    this.#stream.on('error', (error: unknown) => {
      onError(toCdcError(error, 'CDC_KAFKA_CONNECTION', `reading topic ${this.#topic}`))
    })
  }

  /**
   * The next offset the reader fetches from a partition (past transaction markers), or
   * undefined before its first fetch. Only meaningful together with `idle()`.
   */
  position(partition: number): bigint | undefined {
    return this.#stream?.offsetsToFetch.get(`${this.#topic}:${partition}`)
  }

  /** True when every fetched record has been handed to `onRecord`. */
  idle(): boolean {
    return this.#stream !== undefined && this.#stream.readableLength === 0
  }

  /** Last stable offset of every partition (what read_committed can read up to). */
  async endOffsets(): Promise<Map<number, bigint>> {
    const { partitions } = await this.#admin.describeTopic(this.#topic)
    return this.#admin.endOffsets(this.#topic, partitions)
  }

  /** Stops fetching until `resume()` (backpressure); delivered records are kept. */
  pause(): void {
    this.#stream?.pause()
  }

  resume(): void {
    if (this.#stream?.isPaused() === true) this.#stream.resume()
  }

  async close(): Promise<void> {
    await this.#stream?.close().catch(() => undefined)
    await this.#consumer.close(true).catch(() => undefined)
    await this.#admin.deleteGroups([this.#groupId]).catch(() => undefined)
  }
}

// The client types keys and values as always present; a null key or tombstone value
// arrives as undefined or null at run time.
function nullable(value: Buffer | null | undefined): Buffer | null {
  return value ?? null
}
