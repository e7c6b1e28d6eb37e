import { setTimeout as delay } from 'node:timers/promises'
import {
  Admin,
  Consumer,
  FetchIsolationLevels,
  findErrorBy,
  Producer,
  stringDeserializer,
  stringSerializer,
  type CallbackWithPromise,
  type ConsumerOptions,
  type ListCommitsOptions,
  type Message,
  type MessagesStream,
  type Offsets,
} from '@platformatic/kafka'
import { CdcError } from '../common/errors.ts'
import { toCdcError } from './kafka-errors.ts'
import type { OutgoingRecord } from './kafka-producer.ts'
import { clientOptions, type KafkaSettings } from './kafka-settings.ts'
import type { IncomingRecord } from './topic-reader.ts'

/**
 * The two halves of exactly-once consume-transform-produce (KIP-447): a consumer in a
 * group that never commits by itself, and a transactional producer that writes output
 * records and commits that group's offsets in ONE Kafka transaction. Either both become
 * visible to read_committed readers and the group, or neither does.
 */

/** A record read in the group, with the group generation it was fetched under. */
export interface GroupRecord extends IncomingRecord {
  generation: number
}

export interface GroupConsumerOptions {
  groupId: string
  topic: string
  sessionTimeoutMs?: number
}

type Stream = MessagesStream<Buffer, Buffer, string, string>

// A pending transaction ends within its timeout (the producer's request timeout, 30 s by
// default); waiting much longer means something else is wrong.
const maxUnstableWaitMs = 120_000
const unstableRetryMs = 100

/**
 * The client's consumer, except that committed offsets are fetched with require_stable
 * (KIP-447). The client's own fetch does not ask for it, so right after a rebalance a
 * partition could start at the offset committed before the previous owner's transaction
 * resolved; when that transaction then commits, its records are processed a second time.
 * With require_stable the broker answers UNSTABLE_OFFSET_COMMIT while such a transaction
 * is open, and we ask again until it is committed or aborted. The client's message stream
 * calls this public method on every (re)assignment in `mode: 'committed'`.
 */
class StableOffsetConsumer extends Consumer<Buffer, Buffer, string, string> {
  readonly #admin: Admin
  #closing = false

  constructor(options: ConsumerOptions<Buffer, Buffer, string, string>, admin: Admin) {
    super(options)
    this.#admin = admin
  }

  override listCommittedOffsets(
    options: ListCommitsOptions,
    callback: CallbackWithPromise<Offsets>,
  ): void
  override listCommittedOffsets(options: ListCommitsOptions): Promise<Offsets>
  override listCommittedOffsets(
    options: ListCommitsOptions,
    callback?: CallbackWithPromise<Offsets>,
  ): void | Promise<Offsets> {
    const offsets = this.#stableOffsets(options)
    if (callback === undefined) return offsets
    offsets.then(
      (result) => {
        callback(null, result)
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)))
      },
    )
  }

  stopWaiting(): void {
    this.#closing = true
  }

  async #stableOffsets(options: ListCommitsOptions): Promise<Offsets> {
    const deadline = Date.now() + maxUnstableWaitMs
    for (;;) {
      try {
        const [group] = await this.#admin.listConsumerGroupOffsets({
          groups: [
            {
              groupId: this.groupId,
              topics: options.topics.map((t) => ({
                name: t.topic,
                partitionIndexes: t.partitions,
              })),
            },
          ],
          requireStable: true,
        })
        const committed: Offsets = new Map()
        for (const topic of group?.topics ?? []) {
          const offsets: bigint[] = []
          for (const p of topic.partitions) offsets[p.partitionIndex] = p.committedOffset
          committed.set(topic.name, offsets)
        }
        return committed
      } catch (error) {
        if (findErrorBy(error as Error, 'apiId', 'UNSTABLE_OFFSET_COMMIT') === null) throw error
        if (this.#closing) throw error
        if (Date.now() > deadline) {
          throw new CdcError(
            'CDC_KAFKA_TRANSACTION_FAILED',
            `group ${this.groupId} still has offsets of an unfinished transaction after ${maxUnstableWaitMs / 1000} s; ` +
              'a stalled producer holds it open, it ends at its transaction timeout',
            { cause: error, retriable: true },
          )
        }
        await delay(unstableRetryMs)
      }
    }
  }
}

/**
 * Reads a topic in a consumer group, read_committed, autocommit off, starting each
 * assigned partition at the group's committed offset (earliest when there is none), read
 * with require_stable so that a transaction still committing offsets is waited for. After
 * every rebalance the client fetches the committed offsets again, so whatever was read and
 * not committed in a transaction is read again; `onAssignment` tells the caller to forget
 * it.
 */
export class KafkaGroupConsumer {
  readonly #consumer: StableOffsetConsumer
  readonly #admin: Admin
  readonly #options: GroupConsumerOptions
  #stream: Stream | undefined

  constructor(settings: KafkaSettings, options: GroupConsumerOptions) {
    this.#options = options
    const sessionTimeout = options.sessionTimeoutMs ?? 10_000
    this.#admin = new Admin(clientOptions(settings, 'offsets'))
    this.#consumer = new StableOffsetConsumer(
      {
        ...clientOptions(settings, 'group'),
        groupId: options.groupId,
        isolationLevel: FetchIsolationLevels.READ_COMMITTED,
        deserializers: { headerKey: stringDeserializer, headerValue: stringDeserializer },
        maxWaitTime: 100,
        sessionTimeout,
        heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 5)),
        rebalanceTimeout: sessionTimeout * 3,
      },
      this.#admin,
    )
  }

  get groupId(): string {
    return this.#options.groupId
  }

  /** The current group generation (-1 when not in the group). */
  get generation(): number {
    return this.#consumer.generationId
  }

  /**
   * Joins the group. `onAssignment(partitions, generation)` runs after every join (with
   * this member's partitions) and with an empty list when the membership is lost.
   */
  async start(
    onRecord: (record: GroupRecord) => void,
    onAssignment: (partitions: readonly number[], generation: number) => void,
    onError: (error: Error) => void,
  ): Promise<void> {
    const topic = this.#options.topic
    this.#consumer.on(
      'consumer:group:join',
      (payload: {
        generationId?: number
        assignments?: { topic: string; partitions: number[] }[]
      }) => {
        const partitions = (payload.assignments ?? [])
          .filter((assignment) => assignment.topic === topic)
          .flatMap((assignment) => assignment.partitions)
          .sort((a, b) => a - b)
        onAssignment(partitions, payload.generationId ?? this.generation)
      },
    )
    this.#consumer.on('consumer:group:leave', () => {
      onAssignment([], -1)
    })
    try {
      this.#stream = await this.#consumer.consume({
        topics: [topic],
        mode: 'committed',
        fallbackMode: 'earliest',
        autocommit: false,
      })
    } catch (error) {
      throw toCdcError(error, 'CDC_KAFKA_CONNECTION', `joining group ${this.#options.groupId}`)
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
        generation: generationOf(message.metadata),
      })
    })
    this.#stream.on('error', (error: unknown) => {
      onError(toCdcError(error, 'CDC_KAFKA_CONNECTION', `reading topic ${topic}`))
    })
  }

  /** What TxnOffsetCommit needs to be fenced by the group generation (KIP-447). */
  member(): { groupId: string; memberId: string; generationId: number; coordinatorId: number } {
    return {
      groupId: this.#options.groupId,
      memberId: this.#consumer.memberId ?? '',
      generationId: this.#consumer.generationId,
      coordinatorId: this.#consumer.coordinatorId ?? -1,
    }
  }

  /** Stops fetching until `resume()` (backpressure); delivered records are kept. */
  pause(): void {
    this.#stream?.pause()
  }

  resume(): void {
    if (this.#stream?.isPaused() === true) this.#stream.resume()
  }

  async close(): Promise<void> {
    this.#consumer.stopWaiting()
    await this.#stream?.close().catch(() => undefined)
    await this.#consumer.close(true).catch(() => undefined)
    await this.#admin.close().catch(() => undefined)
  }
}

/** The group offsets a transaction commits: per partition, the NEXT offset to read. */
export interface TransactionOffsets {
  consumer: KafkaGroupConsumer
  topic: string
  nextOffsets: ReadonlyMap<number, bigint>
  /**
   * The group generation the records were read under. The commit is fenced by it: after a
   * rebalance the broker refuses it (ILLEGAL_GENERATION), where the consumer's current
   * generation would let records of a partition that moved away be committed.
   */
  generation?: number
}

/**
 * A transactional producer (idempotent, acks=all) whose one operation writes records and
 * commits consumer offsets atomically. A second producer with the same transactional id
 * fences this one.
 */
export class KafkaTransactionalProducer {
  readonly #producer: Producer<Buffer, Buffer, string, string>

  constructor(settings: KafkaSettings, transactionalId: string) {
    this.#producer = new Producer<Buffer, Buffer, string, string>({
      ...clientOptions(settings, 'txn'),
      idempotent: true,
      acks: -1,
      transactionalId,
      // InitProducerId must say "new producer" (-1/-1, as the Java client does): the
      // client's default of 0/0 claims to be producer 0 and a broker that knows this
      // transactional id under another producer id answers PRODUCER_FENCED, so a
      // restarted worker could never take over its own transactional id.
      producerId: -1n,
      producerEpoch: -1,
      serializers: { headerKey: stringSerializer, headerValue: stringSerializer },
    })
  }

  /**
   * Registers the transactional id now (InitProducerId), which fences an older producer
   * with the same id and aborts its open transaction. Call it before the consumer joins
   * its group: offsets such a transaction holds stay unstable until it ends, and the
   * consumer waits for them (otherwise until the transaction times out).
   */
  async init(): Promise<void> {
    try {
      const transaction = await this.#producer.beginTransaction()
      // Local only: nothing was sent, and EndTxn on an empty transaction is an error.
      await transaction.cancel()
    } catch (error) {
      throw toCdcError(error, 'CDC_KAFKA_TRANSACTION_FAILED', 'registering the transactional id')
    }
  }

  /**
   * One transaction: `records`, then the offsets, then commit. On any failure the
   * transaction is aborted (best effort) and a CDC_KAFKA_TRANSACTION_FAILED error thrown;
   * then neither the records nor the offsets are visible. `abortInstead` writes everything
   * and aborts (for tests of the all-or-nothing contract).
   */
  async commit(
    records: readonly OutgoingRecord[],
    offsets: TransactionOffsets | null,
    options: { abortInstead?: boolean } = {},
  ): Promise<void> {
    let transaction: Awaited<
      ReturnType<Producer<Buffer, Buffer, string, string>['beginTransaction']>
    >
    try {
      transaction = await this.#producer.beginTransaction()
    } catch (error) {
      throw toCdcError(error, 'CDC_KAFKA_TRANSACTION_FAILED', 'beginning a Kafka transaction')
    }
    try {
      for (const chunk of sendChunks(records)) {
        await transaction.send({ messages: chunk.map(toMessage) })
      }
      if (offsets !== null && offsets.nextOffsets.size > 0) {
        const member = offsets.consumer.member()
        if (offsets.generation !== undefined) member.generationId = offsets.generation
        // The client only reads groupId from the consumer it is given.
        await transaction.addConsumer({ groupId: member.groupId } as unknown as Consumer)
        for (const [partition, next] of offsets.nextOffsets) {
          // addOffset commits message.offset + 1 with the message's group generation and
          // member id; our offsets are already "next to read", hence the - 1n.
          const message = {
            topic: offsets.topic,
            partition,
            offset: next - 1n,
            metadata: { consumer: member },
          } as unknown as Message
          await transaction.addOffset(message)
        }
      }
      if (options.abortInstead === true) await transaction.abort()
      else await transaction.commit()
    } catch (error) {
      if (!transaction.completed) await transaction.abort().catch(() => undefined)
      throw toCdcError(error, 'CDC_KAFKA_TRANSACTION_FAILED', 'writing a Kafka transaction')
    }
  }

  async close(): Promise<void> {
    await this.#producer.close().catch(() => undefined)
  }
}

// One send becomes one batch per partition, which the broker refuses above its
// message.max.bytes (1 MB by default); a transaction may hold many sends.
const maxSendBytes = 512 * 1024

function sendChunks(records: readonly OutgoingRecord[]): OutgoingRecord[][] {
  const chunks: OutgoingRecord[][] = []
  let chunk: OutgoingRecord[] = []
  let bytes = 0
  for (const record of records) {
    const size = (record.key?.length ?? 0) + (record.value?.length ?? 0) + 64
    if (chunk.length > 0 && bytes + size > maxSendBytes) {
      chunks.push(chunk)
      chunk = []
      bytes = 0
    }
    chunk.push(record)
    bytes += size
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}

function toMessage(record: OutgoingRecord) {
  return {
    topic: record.topic,
    ...(record.key === null ? {} : { key: record.key }),
    ...(record.value === null ? {} : { value: record.value }),
    ...(record.headers === undefined ? {} : { headers: { ...record.headers } }),
  }
}

function generationOf(metadata: Record<string, unknown>): number {
  const consumer = metadata.consumer as { generationId?: unknown } | undefined
  return typeof consumer?.generationId === 'number' ? consumer.generationId : -1
}

// The client types keys and values as always present; a null key or tombstone value
// arrives as undefined or null at run time.
function nullable(value: Buffer | null | undefined): Buffer | null {
  return value ?? null
}
