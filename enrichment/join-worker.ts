import { createHash } from 'node:crypto'
import { hostname } from 'node:os'
import { resolve } from 'node:path'
import { CdcError, isCdcError } from '../common/errors.ts'
import type { ConnectorMonitor } from '../connectors/plugin.ts'
import { avroCodecFor } from '../envelope/avro-codec.ts'
import type { ConnectSchema } from '../envelope/connect-schema.ts'
import { KafkaAdmin } from '../kafka/kafka-admin.ts'
import type { OutgoingRecord } from '../kafka/kafka-producer.ts'
import type { KafkaSettings } from '../kafka/kafka-settings.ts'
import { KafkaPartitionReader } from '../kafka/partition-reader.ts'
import type { IncomingRecord } from '../kafka/topic-reader.ts'
import type { GroupRecord } from '../kafka/transactional-consumer.ts'
import { KafkaGroupConsumer, KafkaTransactionalProducer } from '../kafka/transactional-consumer.ts'
import type { SchemaRegistryClient } from '../registry/schema-registry.ts'
import { topicSubject } from '../registry/subject-name.ts'
import { frame } from '../registry/wire-format.ts'
import { ChangeInputDecoder } from './change-input.ts'
import type { JoinInput } from './change-input.ts'
import type { JoinConfig } from './join-config.ts'
import { JoinCore } from './join-core.ts'
import type { JoinOutput } from './join-output.ts'
import { outputJson, outputPayload } from './output-record.ts'
import { LmdbStateStore } from './state-store.ts'
import type { TransactionMarker } from './transaction-input.ts'

/**
 * The Kafka loop of the stream-table join (joins.md §6.8, rules 8-10) around JoinCore:
 *
 * 1. Startup: open the LMDB replica, capture the table topic's end offsets (last stable
 *    offsets), read every table partition from the store's own offsets, and release
 *    nothing until those end offsets are reached. Only then join the stream group.
 * 2. Table records are applied a partition batch at a time (one LMDB transaction each).
 * 3. Stream records are queued in JoinCore; releases happen on arrival, on table progress
 *    and at `core.nextDeadline()`.
 * 4. Every `commitIntervalMs` (or `maxPendingOutputs` outputs) one Kafka transaction
 *    writes the released outputs and commits `core.committableOffsets()` for the group.
 * 5. A failed transaction is aborted and the run fails with a retriable CdcError: the
 *    runtime restarts it, the group's committed offsets are read again and the same
 *    records give the same outputs (deterministic as-of lookups). A rebalance drops the
 *    queued stream records and unsent outputs; the client re-reads every assigned
 *    partition from its committed offset.
 */

export type JoinMonitor = Pick<ConnectorMonitor, 'phase' | 'eventsSeen'>

/** Where a running worker stands, for the lag endpoint. */
export interface JoinProgress {
  /** Offsets of the table topic not yet in this instance's replica. */
  tableBehind: number
  /** True once the replica reached the table's end offsets seen at startup. */
  tableBootstrapped: boolean
  /** Stream records this instance has read and not yet released. */
  streamWaiting: number
}

export interface JoinWorkerOptions {
  config: JoinConfig
  kafka: KafkaSettings
  /** Needed for Avro inputs and for output.format=avro. */
  registry?: SchemaRegistryClient | null
  /** The stream consumer group; default `cdc-join-<name or output topic>`. */
  groupId?: string
  /**
   * Default `<groupId>-<instance>` (see defaultTransactionalId): stable across restarts,
   * so that a restarted worker fences its zombie, and distinct per instance, so that
   * instances sharing the stream partitions do not fence each other.
   */
  transactionalId?: string
  commitIntervalMs?: number
  /** Session timeout of the stream consumer group (default 10 s). */
  sessionTimeoutMs?: number
  maxPendingOutputs?: number
  /** Replication factor of an output topic the worker creates (default 1). */
  outputReplicationFactor?: number
  monitor?: JoinMonitor
  /** Called after each committed Kafka transaction with its number of outputs. */
  onCommit?: (outputs: number) => void
  now?: () => number
}

const endOffsetsRefreshMs = 500
const pruneIntervalMs = 10 * 60_000
const idleWaitMs = 200
// Records held between loop rounds before the readers pause fetching.
const maxBuffered = 10_000

export function defaultJoinGroupId(config: JoinConfig): string {
  return `cdc-join-${config.name ?? config.outputTopic}`
}

/**
 * One transactional id per instance of a join: the group id plus a tag of this host and
 * the state directory. Every instance keeps its own state directory, which stays the same
 * across restarts (and deletions of its contents), so the tag does too.
 */
export function defaultTransactionalId(groupId: string, stateDir: string): string {
  const tag = createHash('sha256')
    .update(`${hostname()}\n${resolve(stateDir)}`)
    .digest('hex')
    .slice(0, 12)
  return `${groupId}-${tag}`
}

class Wakeup {
  #pending = false
  #resolve: (() => void) | null = null

  wake(): void {
    if (this.#resolve === null) {
      this.#pending = true
      return
    }
    const resolve = this.#resolve
    this.#resolve = null
    resolve()
  }

  async wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#pending || signal.aborted) {
      this.#pending = false
      return
    }
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        signal.removeEventListener('abort', done)
        this.#resolve = null
        resolve()
      }
      const timer = setTimeout(done, Math.max(0, ms))
      signal.addEventListener('abort', done, { once: true })
      this.#resolve = done
    })
    this.#pending = false
  }
}

export class JoinWorker {
  readonly #options: JoinWorkerOptions
  readonly #config: JoinConfig
  readonly #now: () => number
  readonly #decoder: ChangeInputDecoder
  readonly #wakeup = new Wakeup()
  readonly #schemaIds = new WeakMap<ConnectSchema, Promise<number>>()
  #failure: Error | undefined
  #progress: JoinProgress | null = null

  constructor(options: JoinWorkerOptions) {
    this.#options = options
    this.#config = options.config
    this.#now = options.now ?? Date.now
    const registry = options.registry ?? null
    this.#decoder = new ChangeInputDecoder(
      registry === null ? {} : { schemaById: (id) => registry.schemaById(id) },
    )
    if (this.#config.outputFormat === 'avro' && registry === null) {
      throw new CdcError(
        'CDC_CONFIG_INVALID',
        'output.format=avro needs a schema registry: set schema.registry.url or SCHEMA_REGISTRY_URL',
      )
    }
  }

  /** Null until the run has opened its state. */
  progress(): JoinProgress | null {
    return this.#progress
  }

  /** Runs until `signal` aborts (then commits what was released and resolves) or fails. */
  async run(signal: AbortSignal): Promise<void> {
    const config = this.#config
    const kafka = this.#options.kafka
    const groupId = this.#options.groupId ?? defaultJoinGroupId(config)
    const store = LmdbStateStore.open({ path: config.stateDir, tableTopic: config.tableTopic })
    const admin = new KafkaAdmin(kafka)
    const reader = new KafkaPartitionReader(kafka, admin, config.tableTopic)
    const producer = new KafkaTransactionalProducer(
      kafka,
      this.#options.transactionalId ?? defaultTransactionalId(groupId, config.stateDir),
    )
    const markers =
      config.transactionTopic === null
        ? null
        : new KafkaPartitionReader(kafka, admin, config.transactionTopic)
    let consumer: KafkaGroupConsumer | null = null
    const fail = (error: Error): void => {
      this.#failure ??= error
      this.#wakeup.wake()
    }
    try {
      this.#options.monitor?.phase('snapshot')
      const streamTopic = await admin.describeTopic(config.streamTopic)
      await admin.ensureTopic({
        name: config.outputTopic,
        partitions: streamTopic.partitions,
        replicationFactor: this.#options.outputReplicationFactor ?? 1,
      })
      // Before the stream group is joined: a transaction a killed predecessor left open is
      // aborted now, rather than holding the group's offsets unstable until it times out.
      await producer.init()
      let ends = await reader.endOffsets()
      const core = new JoinCore({ settings: config, store, tableEndOffsets: ends })
      const tableBuffer: IncomingRecord[] = []
      await reader.start(
        core.tableStartOffsets(),
        (record) => {
          if (tableBuffer.push(record) >= maxBuffered) reader.pause()
          this.#wakeup.wake()
        },
        fail,
      )
      const markerBuffer: IncomingRecord[] = []
      if (markers !== null) await this.#startMarkers(markers, admin, markerBuffer, fail)
      const reported = new Map<number, string>()
      const streamBuffer: GroupRecord[] = []
      // Set by the group's callbacks.
      const group = { generation: -1, rebalanced: false }
      let pending: JoinOutput[] = []
      let committed = new Map<number, bigint>()
      let lastCommit = this.#now()
      let lastEnds = this.#now()
      let lastPrune = Number.NEGATIVE_INFINITY
      const commitInterval = this.#options.commitIntervalMs ?? 100
      const maxPending = this.#options.maxPendingOutputs ?? 500

      while (!signal.aborted) {
        if (this.#failure !== undefined) throw this.#failure
        const now = this.#now()
        if (now - lastEnds >= endOffsetsRefreshMs) {
          ends = await reader.endOffsets()
          lastEnds = now
        }
        // Table side first, so that stream records of this round see the newest versions.
        const tableRecords = tableBuffer.splice(0)
        reader.resume()
        for (const [partition, records] of byPartition(tableRecords)) {
          const inputs = await this.#decodeAll(records)
          const last = records.at(-1)
          pending.push(
            ...core.applyTable(
              {
                partition,
                inputs,
                ...(last === undefined ? {} : { nextOffset: last.offset + 1n }),
                ...(ends.has(partition) ? { endOffset: ends.get(partition) } : {}),
              },
              now,
            ),
          )
          if (last !== undefined) reported.set(partition, `${last.offset + 1n}`)
        }
        if (tableBuffer.length === 0 && reader.idle()) {
          // Positions past transaction markers and new end offsets, without records.
          for (const [partition, end] of ends) {
            const position = reader.position(partition)
            if (position === undefined) continue
            const mark = `${position}/${end}`
            if (reported.get(partition) === mark) continue
            reported.set(partition, mark)
            pending.push(
              ...core.applyTable(
                { partition, inputs: [], nextOffset: position, endOffset: end },
                now,
              ),
            )
          }
        }

        // Transaction END records (strict mode), after the table changes they count.
        const markerRecords = markerBuffer.splice(0)
        markers?.resume()
        if (markerRecords.length > 0) {
          const decoded: TransactionMarker[] = []
          for (const record of markerRecords) {
            decoded.push(await this.#decoder.decodeTransaction(record))
          }
          pending.push(...core.acceptTransactions(decoded, now))
        }

        if (consumer === null && core.bootstrapped()) {
          consumer = new KafkaGroupConsumer(kafka, {
            groupId,
            topic: config.streamTopic,
            ...(this.#options.sessionTimeoutMs === undefined
              ? {}
              : { sessionTimeoutMs: this.#options.sessionTimeoutMs }),
          })
          this.#options.monitor?.phase('streaming')
          await consumer.start(
            (record) => {
              if (streamBuffer.push(record) >= maxBuffered) consumer?.pause()
              this.#wakeup.wake()
            },
            (_partitions, newGeneration) => {
              group.generation = newGeneration
              group.rebalanced = true
              this.#wakeup.wake()
            },
            fail,
          )
        }
        if (core.bootstrapped() && now - lastPrune >= pruneIntervalMs) {
          core.prune(BigInt(Date.now() - config.historyRetentionMs))
          lastPrune = now
        }

        if (group.rebalanced) {
          // Whatever was read and not committed is read again from the committed offsets.
          group.rebalanced = false
          pending = []
          core.dropStreamPartitions([...core.pending().keys()])
          committed = new Map()
        }
        // Everything pending now belongs to this generation; its commit is fenced by it.
        const generation = group.generation
        // At most a transaction's worth per round, so that transactions stay small.
        const streamRecords = streamBuffer
          .splice(0, maxPending)
          .filter((r) => r.generation === generation)
        consumer?.resume()
        if (streamRecords.length > 0) this.#options.monitor?.eventsSeen(streamRecords.length)
        for (const [partition, records] of byPartition(streamRecords)) {
          const inputs = await this.#decodeAll(records)
          pending.push(...core.acceptStream({ partition, inputs }, now))
        }
        pending.push(...core.tick(now))

        const offsets = core.committableOffsets()
        const moved = [...offsets].some(([p, o]) => committed.get(p) !== o)
        if (
          consumer !== null &&
          (pending.length > 0 || moved) &&
          (pending.length >= maxPending || now - lastCommit >= commitInterval)
        ) {
          try {
            await this.#commit(producer, consumer, pending, offsets, generation)
            committed = offsets
          } catch (error) {
            // A rebalance while committing: the broker refused the old generation's offsets
            // and the transaction was aborted. What it held is read again from the
            // committed offsets, as after any rebalance (handled next round).
            if (group.generation === generation) throw error
          }
          pending = []
          lastCommit = this.#now()
        }

        this.#progress = {
          tableBehind: Number(core.tableBehind()),
          tableBootstrapped: core.bootstrapped(),
          streamWaiting: [...core.pending().values()].reduce((sum, n) => sum + n, 0),
        }
        const deadline = core.nextDeadline()
        let waitMs = streamBuffer.length > 0 ? 0 : idleWaitMs
        if (deadline !== null) waitMs = Math.min(waitMs, deadline - this.#now())
        if (pending.length > 0 || moved) {
          waitMs = Math.min(waitMs, lastCommit + commitInterval - this.#now())
        }
        await this.#wakeup.wait(waitMs, signal)
      }
      // A clean stop: whatever was released is committed with its offsets.
      if (this.#failure === undefined && consumer !== null) {
        const offsets = core.committableOffsets()
        const moved = [...offsets].some(([p, o]) => committed.get(p) !== o)
        // After a rebalance nothing pending belongs to this member any more.
        if (!group.rebalanced && (pending.length > 0 || moved)) {
          await this.#commit(producer, consumer, pending, offsets, group.generation)
        }
      }
      this.#options.monitor?.phase('stopping')
    } catch (error) {
      throw isCdcError(error)
        ? error
        : new CdcError('CDC_CONNECTOR_CRASHED', `stream-table join failed: ${String(error)}`, {
            cause: error,
            retriable: true,
          })
    } finally {
      this.#progress = null
      await consumer?.close()
      await producer.close()
      await reader.close()
      await markers?.close()
      await store.close().catch(() => undefined)
      await admin.close().catch(() => undefined)
    }
  }

  /**
   * Strict mode reads the transaction topic from its end at startup: only transactions
   * whose table changes this run applies can be known complete (TransactionTracker), so
   * stream changes of earlier ones fall back to the watermark rule.
   */
  async #startMarkers(
    markers: KafkaPartitionReader,
    admin: KafkaAdmin,
    buffer: IncomingRecord[],
    fail: (error: Error) => void,
  ): Promise<void> {
    const topic = this.#config.transactionTopic ?? ''
    if (!(await admin.exists(topic))) {
      throw new CdcError(
        'CDC_KAFKA_TOPIC_CONFIG',
        `transaction.topic ${topic} does not exist (yet): the source connector writes it with provide.transaction.metadata=true, from its first transaction on; the join retries`,
        { details: { field: 'transaction.topic' }, retriable: true },
      )
    }
    const ends = await markers.endOffsets()
    await markers.start(
      ends,
      (record) => {
        if (buffer.push(record) >= maxBuffered) markers.pause()
        this.#wakeup.wake()
      },
      fail,
    )
  }

  async #decodeAll(records: readonly IncomingRecord[]): Promise<JoinInput[]> {
    const inputs: JoinInput[] = []
    for (const record of records) inputs.push(await this.#decoder.decode(record))
    return inputs
  }

  async #commit(
    producer: KafkaTransactionalProducer,
    consumer: KafkaGroupConsumer,
    outputs: readonly JoinOutput[],
    offsets: ReadonlyMap<number, bigint>,
    generation: number,
  ): Promise<void> {
    const records: OutgoingRecord[] = []
    for (const output of outputs) records.push(await this.#encode(output))
    try {
      await producer.commit(records, {
        consumer,
        topic: this.#config.streamTopic,
        nextOffsets: offsets,
        generation,
      })
    } catch (error) {
      // An output the broker will never take fails every retry the same way.
      if (isCdcError(error) && error.code === 'CDC_KAFKA_RECORD_TOO_LARGE') throw error
      // The transaction was aborted: nothing of it is visible. Restarting from the
      // committed offsets re-reads the records and yields the same outputs.
      throw new CdcError(
        'CDC_KAFKA_TRANSACTION_FAILED',
        `the join's Kafka transaction (${records.length} output(s)) failed and was aborted; the join restarts from its committed offsets`,
        { cause: error, retriable: true },
      )
    }
    this.#options.onCommit?.(records.length)
  }

  async #encode(output: JoinOutput): Promise<OutgoingRecord> {
    const topic = this.#config.outputTopic
    const key = output.key === null ? null : Buffer.from(output.key)
    if (this.#config.outputFormat === 'json' || output.kind === 'tombstone') {
      return { topic, key, value: outputJson(output).value }
    }
    const payload = outputPayload(topic, output, this.#config.foreignKey)
    const codec = avroCodecFor(payload.schema)
    let id = this.#schemaIds.get(payload.schema)
    if (id === undefined) {
      const registry = this.#options.registry
      if (registry === undefined || registry === null) throw new Error('no schema registry')
      id = registry.register(topicSubject(topic, 'value'), codec.avroSchemaText)
      this.#schemaIds.set(payload.schema, id)
      id.catch(() => this.#schemaIds.delete(payload.schema))
    }
    return { topic, key, value: frame(await id, codec.encode(payload.value)) }
  }
}

function byPartition<T extends { partition: number }>(records: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>()
  for (const record of records) {
    const group = groups.get(record.partition)
    if (group === undefined) groups.set(record.partition, [record])
    else group.push(record)
  }
  return groups
}
