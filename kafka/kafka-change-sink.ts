import { setTimeout as delay } from 'node:timers/promises'
import { CdcError, findCdcError } from '../common/errors.ts'
import type { ChangeSink, Position } from '../connectors/ports.ts'
import type { ChangeEvent } from '../envelope/change-event.ts'
import type { ChangeRecord } from '../envelope/change-record.ts'
import { TransactionMetadataTracker } from '../envelope/transaction-metadata.ts'
import { toCdcError } from './kafka-errors.ts'
import type { KafkaProducer, KafkaTransaction, OutgoingRecord } from './kafka-producer.ts'
import { OffsetStore, type SourcePartition } from './offset-store.ts'
import type { TopicKind, TopicPolicy } from './topic-policy.ts'

/** Turns a record into key and value bytes, registering its schemas first if needed. */
export interface RecordEncoder {
  encode(record: ChangeRecord): Promise<{ key: Buffer | null; value: Buffer | null }>
}

export interface KafkaChangeSinkOptions {
  connector: string
  /** The source partition the connector's positions are stored under. */
  partition: SourcePartition
  offsetsTopic: string
  producer: KafkaProducer
  topics: TopicPolicy
  /** The envelope: one change event becomes its records (delete + tombstone, ...). */
  toRecords: (event: ChangeEvent) => readonly ChangeRecord[]
  encoder: RecordEncoder
  /**
   * Kafka Connect's `exactly.once.source.support`: the records of each source transaction
   * and its position are written in one Kafka transaction. Needs a transactional producer.
   */
  exactlyOnce: boolean
  /**
   * `<topic.prefix>.transaction` when `provide.transaction.metadata=true`: a BEGIN record
   * goes there before a transaction's first event and an END record with its event counts
   * at its commit, in the same order (and Kafka transaction) as the events themselves.
   */
  transactionTopic?: string | null
  /** Bytes encoded but not yet acknowledged by Kafka before `emit` waits. */
  maxInFlightBytes?: number
  /** Records are sent in batches of about this many bytes. */
  batchBytes?: number
  /** How long a write is retried while Kafka is unreachable before the sink fails. */
  retryForMs?: number
  /** Several source commits queued behind each other are stored as one, up to this age. */
  commitCoalesceMs?: number
}

/** A record with the retention its topic needs. */
interface RoutedRecord {
  record: ChangeRecord
  kind: TopicKind
}

interface PendingCommit {
  position: Position
  queuedAt: number
  resolve: () => void
  reject: (error: CdcError) => void
}

/**
 * The sink every connector writes through. Writes go out in order, one batch at a time,
 * so per-key order holds; a commit resolves only after Kafka acknowledged every record
 * emitted before it and the position is stored, which is the moment the connector may
 * confirm the position to its database.
 */
export class KafkaChangeSink implements ChangeSink {
  readonly #options: Required<KafkaChangeSinkOptions>
  readonly #transactions: TransactionMetadataTracker | null
  /** Encoding is async (schema registration); records join the batch in call order. */
  #encoding: Promise<void> = Promise.resolve()
  #batch: OutgoingRecord[] = []
  #batchSize = 0
  #inFlightBytes = 0
  #written = 0
  #pendingInTransaction = 0
  #chain: Promise<void> = Promise.resolve()
  #failure: CdcError | undefined
  #transaction: KafkaTransaction | undefined
  readonly #commits: PendingCommit[] = []
  readonly #drained = new Set<() => void>()

  constructor(options: KafkaChangeSinkOptions) {
    if (options.exactlyOnce && !options.producer.transactional) {
      throw new CdcError(
        'CDC_CONFIG_INVALID',
        'exactly-once delivery needs a transactional producer; give the sink one created with a transactionalId',
      )
    }
    this.#options = {
      maxInFlightBytes: 64 * 1024 * 1024,
      batchBytes: 1024 * 1024,
      retryForMs: 300_000,
      commitCoalesceMs: 1_000,
      transactionTopic: null,
      ...options,
    }
    const transactionTopic = this.#options.transactionTopic
    this.#transactions =
      transactionTopic === null ? null : new TransactionMetadataTracker(transactionTopic)
  }

  /** Records Kafka acknowledged so far. */
  get recordsWritten(): number {
    return this.#written
  }

  async emit(event: ChangeEvent): Promise<void> {
    this.#throwIfFailed()
    // Routing happens now, in call order, so boundaries follow the events they bound even
    // if a caller does not wait for one emit before the next.
    let routed: RoutedRecord[]
    try {
      routed = this.#route(event)
    } catch (error) {
      throw this.#encodingFailed(error)
    }
    await this.#encode(routed)
    if (this.#batchSize >= this.#options.batchBytes) this.#dispatchBatch()
    while (this.#inFlightBytes > this.#options.maxInFlightBytes && this.#failure === undefined) {
      await new Promise<void>((resolve) => this.#drained.add(resolve))
    }
    this.#throwIfFailed()
  }

  commit(position: Position): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure)
    const boundaries = (this.#transactions?.end() ?? []).map((record): RoutedRecord => ({
      record,
      kind: 'events',
    }))
    return new Promise<void>((resolve, reject) => {
      this.#encode(boundaries, () => {
        this.#dispatchBatch()
        const commit: PendingCommit = { position, queuedAt: Date.now(), resolve, reject }
        this.#commits.push(commit)
        this.#enqueue(() => this.#storePosition(commit))
      }).catch(reject)
    })
  }

  #route(event: ChangeEvent): RoutedRecord[] {
    // Messages and schema changes are a history, not keyed state: compaction would drop it.
    const kind: TopicKind = event.kind === 'row' || event.kind === 'truncate' ? 'changes' : 'events'
    const records = this.#options.toRecords(event).map((record) => ({ record, kind }))
    // A skipped event (skipped.operations) is not counted in its transaction either.
    if (records.length === 0 || this.#transactions === null) return records
    const boundaries = this.#transactions
      .before(event)
      .map((record): RoutedRecord => ({ record, kind: 'events' }))
    return [...boundaries, ...records]
  }

  /**
   * Encodes records into the batch after every earlier emit and commit has been encoded,
   * then runs `andThen` in the same turn, before any later call's records join the batch.
   */
  #encode(routed: readonly RoutedRecord[], andThen?: () => void): Promise<void> {
    const step = this.#encoding.then(async () => {
      this.#throwIfFailed()
      try {
        for (const { record, kind } of routed) {
          await this.#options.topics.ensure(record.topic, kind)
          const { key, value } = await this.#options.encoder.encode(record)
          const outgoing: OutgoingRecord = { topic: record.topic, key, value }
          if (record.headers !== undefined) outgoing.headers = record.headers
          this.#batch.push(outgoing)
          this.#batchSize += (key?.length ?? 0) + (value?.length ?? 0) + 64
        }
      } catch (error) {
        throw this.#encodingFailed(error)
      }
      andThen?.()
    })
    this.#encoding = step.catch(() => undefined)
    return step
  }

  // An event that cannot be delivered (an incompatible schema, a bad value) stops the sink:
  // nothing after it may be written or committed until the connector restarts from its
  // last committed position.
  #encodingFailed(error: unknown): CdcError {
    if (this.#failure !== undefined) return this.#failure
    this.#batch = []
    this.#batchSize = 0
    const failure =
      findCdcError(error) ?? toCdcError(error, 'CDC_KAFKA_PRODUCE_FAILED', 'encoding a record')
    this.#fail(failure)
    return failure
  }

  /** Resolves once everything emitted so far is written; the sink then holds nothing. */
  async flush(): Promise<void> {
    this.#dispatchBatch()
    await this.#chain
    this.#throwIfFailed()
  }

  /** Aborts an open transaction; what was not committed is not visible. */
  async close(): Promise<void> {
    await this.#chain
    if (this.#transaction !== undefined) {
      await this.#transaction.abort().catch(() => undefined)
      this.#transaction = undefined
    }
  }

  #dispatchBatch(): void {
    if (this.#batch.length === 0) return
    const batch = this.#batch
    const size = this.#batchSize
    this.#batch = []
    this.#batchSize = 0
    this.#inFlightBytes += size
    this.#enqueue(async () => {
      try {
        await this.#write(batch)
      } finally {
        this.#inFlightBytes -= size
        if (this.#inFlightBytes <= this.#options.maxInFlightBytes) this.#wakeEmitters()
      }
    })
  }

  #enqueue(step: () => Promise<void>): void {
    this.#chain = this.#chain.then(async () => {
      if (this.#failure !== undefined) return
      try {
        await step()
      } catch (error) {
        this.#fail(
          findCdcError(error) ?? toCdcError(error, 'CDC_KAFKA_PRODUCE_FAILED', 'writing to Kafka'),
        )
      }
    })
  }

  async #write(records: OutgoingRecord[]): Promise<void> {
    if (this.#options.exactlyOnce) {
      this.#transaction ??= await this.#options.producer.beginTransaction()
      await this.#transaction.send(records)
      this.#pendingInTransaction += records.length
      return
    }
    await this.#withRetry(() => this.#options.producer.send(records))
    this.#written += records.length
  }

  async #storePosition(commit: PendingCommit): Promise<void> {
    // When later commits are already queued behind this one, the last of them stores its
    // position for all: fewer offset writes and Kafka transactions under load, while an
    // idle stream still confirms each commit at once.
    const newest = this.#commits.at(-1)
    if (newest !== commit && Date.now() - commit.queuedAt < this.#options.commitCoalesceMs) return
    const settled = this.#commits.splice(0, this.#commits.indexOf(commit) + 1)
    const record = OffsetStore.record(this.#options.offsetsTopic, {
      connector: this.#options.connector,
      partition: this.#options.partition,
      position: commit.position,
    })
    if (this.#options.exactlyOnce) {
      const transaction = this.#transaction ?? (await this.#options.producer.beginTransaction())
      this.#transaction = undefined
      await transaction.send([record])
      await transaction.commit()
      this.#written += this.#pendingInTransaction
      this.#pendingInTransaction = 0
    } else {
      await this.#withRetry(() => this.#options.producer.send([record]))
    }
    for (const done of settled) done.resolve()
  }

  async #withRetry(write: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + this.#options.retryForMs
    for (let attempt = 0; ; attempt++) {
      try {
        await write()
        return
      } catch (error) {
        const failure = findCdcError(error)
        if (failure?.retriable !== true || Date.now() > deadline) throw error
        // Resending a batch whose first attempt did land gives duplicates, which
        // at-least-once delivery allows; order holds because nothing later is sent first.
        await delay(Math.min(5_000, 100 * 2 ** attempt))
      }
    }
  }

  #fail(error: CdcError): void {
    this.#failure = error
    for (const commit of this.#commits.splice(0)) commit.reject(error)
    this.#wakeEmitters()
    if (this.#transaction !== undefined) {
      const transaction = this.#transaction
      this.#transaction = undefined
      void transaction.abort().catch(() => undefined)
    }
  }

  #wakeEmitters(): void {
    for (const wake of this.#drained) wake()
    this.#drained.clear()
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure
  }
}
