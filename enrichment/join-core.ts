import type { StructSchema } from '../envelope/connect-schema.ts'
import { connectJsonSchemaText } from '../envelope/json-format.ts'
import type { JoinInput } from './change-input.ts'
import type { JoinConfig } from './join-config.ts'
import type { JoinOutput } from './join-output.ts'
import { enrich } from './join-output.ts'
import { planTableBatch } from './table-apply.ts'
import { TableProgress } from './table-progress.ts'
import type { TableStore } from './table-store.ts'
import type { TransactionMarker } from './transaction-input.ts'
import { TransactionTracker } from './transaction-tracker.ts'

/**
 * The join (rules 1-7) as a state machine without I/O of its own: table batches, stream
 * batches and clock ticks go in, released output records come out. Time is whatever `now`
 * the caller passes, so tests drive it with a fake clock and the Kafka loop with Date.now().
 * Only stream changes produce output; table changes only update the store (rule 1).
 */

export type JoinSettings = Pick<
  JoinConfig,
  'foreignKey' | 'joinType' | 'idleGraceMs' | 'maxWaitMs' | 'tableTopic' | 'transactionTopic'
>

export interface JoinCoreOptions {
  settings: JoinSettings
  store: TableStore
  /** Every partition of the table topic with its end offset at startup (rule 10). */
  tableEndOffsets: ReadonlyMap<number, bigint>
}

export interface TableBatch {
  partition: number
  inputs: readonly JoinInput[]
  /** The consumer's next offset after the batch; defaults to the last record's offset + 1. */
  nextOffset?: bigint
  /** The partition's end offset from the fetch (high watermark, or last stable offset). */
  endOffset?: bigint
}

export interface StreamBatch {
  partition: number
  inputs: readonly JoinInput[]
}

export interface JoinCounters {
  /** Truncate and message events (rule 7), on either side. */
  ignored: number
  /** Stream changes without a table row dropped by an inner join. */
  innerDropped: number
  /** Stream changes released by max.wait.ms. */
  timedOut: number
  /** Table changes already stored (rule 6). */
  tableDuplicates: number
  tableTombstonesApplied: number
  tableTombstonesIgnored: number
}

interface Pending {
  input: JoinInput
  arrivedAt: number
}

interface StreamQueue {
  items: Pending[]
  head: number
  /** Offset of the last released record, null before the first. */
  lastDone: bigint | null
}

export class JoinCore {
  readonly #settings: JoinSettings
  readonly #store: TableStore
  readonly #progress: TableProgress
  readonly #queues = new Map<number, StreamQueue>()
  readonly #transactions: TransactionTracker | null
  readonly #counters: JoinCounters = {
    ignored: 0,
    innerDropped: 0,
    timedOut: 0,
    tableDuplicates: 0,
    tableTombstonesApplied: 0,
    tableTombstonesIgnored: 0,
  }
  #lastNow = Number.NEGATIVE_INFINITY

  constructor(options: JoinCoreOptions) {
    this.#settings = options.settings
    this.#store = options.store
    this.#progress = new TableProgress(options.tableEndOffsets, options.store.partitions())
    this.#transactions =
      options.settings.transactionTopic === null
        ? null
        : new TransactionTracker(defaultDataCollection(options.settings.tableTopic))
  }

  /** Where to start each table partition's consumer; null means from the earliest offset. */
  tableStartOffsets(): Map<number, bigint | null> {
    return this.#progress.startOffsets()
  }

  /** True once the replica reached the table's end offsets seen at startup (rule 10). */
  bootstrapped(): boolean {
    return this.#progress.bootstrapped()
  }

  /**
   * Applies one batch of one table partition in one store transaction, then releases what
   * became ready. An empty batch reports progress only (new end offset, consumer position).
   */
  applyTable(batch: TableBatch, now: number): JoinOutput[] {
    const partition = batch.partition
    const plan = planTableBatch(
      batch.inputs,
      this.#store,
      this.#progress.appliedPos(partition),
      this.#settings.foreignKey,
    )
    const last = batch.inputs.at(-1)
    const nextOffset = batch.nextOffset ?? (last === undefined ? null : last.offset + 1n)
    if (nextOffset !== null) {
      this.#store.apply({
        versions: plan.versions,
        partitions: [{ partition, nextOffset, appliedPos: plan.appliedPos }],
        rowSchema: this.#schemaChange(plan.rowSchema),
      })
    }
    this.#progress.update(partition, nextOffset, batch.endOffset ?? null, plan.appliedPos)
    if (this.#transactions !== null) {
      for (const input of batch.inputs) {
        if (input.kind === 'change') this.#transactions.noteTableChange(input)
      }
      this.#transactions.advance()
    }
    this.#counters.ignored += plan.ignored
    this.#counters.tableDuplicates += plan.duplicates
    this.#counters.tableTombstonesApplied += plan.tombstonesApplied
    this.#counters.tableTombstonesIgnored += plan.tombstonesIgnored
    return this.#release(now)
  }

  /** Queues stream records behind earlier ones of their partition and releases what is ready. */
  acceptStream(batch: StreamBatch, now: number): JoinOutput[] {
    let queue = this.#queues.get(batch.partition)
    if (queue === undefined) {
      queue = { items: [], head: 0, lastDone: null }
      this.#queues.set(batch.partition, queue)
    }
    for (const input of batch.inputs) queue.items.push({ input, arrivedAt: now })
    return this.#release(now)
  }

  /**
   * Records of the transaction metadata topic (strict mode, `transaction.topic`): an END
   * whose table changes are all applied releases the stream changes of its transaction.
   */
  acceptTransactions(markers: readonly TransactionMarker[], now: number): JoinOutput[] {
    if (this.#transactions !== null) {
      for (const marker of markers) this.#transactions.noteMarker(marker)
      this.#transactions.advance()
    }
    return this.#release(now)
  }

  /** Releases what the passing of time made ready (idle grace, max wait). */
  tick(now: number): JoinOutput[] {
    return this.#release(now)
  }

  /** When the next tick can release something on time alone; null when nothing waits. */
  nextDeadline(): number | null {
    if (!this.bootstrapped()) return null
    let earliest: number | null = null
    for (const queue of this.#queues.values()) {
      const head = queue.items[queue.head]
      if (head === undefined) continue
      const grace = head.arrivedAt + this.#settings.idleGraceMs
      const at = grace > this.#lastNow ? grace : head.arrivedAt + this.#settings.maxWaitMs
      earliest = earliest === null ? at : Math.min(earliest, at)
    }
    return earliest
  }

  /**
   * Per stream partition, the offset to commit with the outputs released so far: the
   * earliest unreleased record, or the last released + 1.
   */
  committableOffsets(): Map<number, bigint> {
    const offsets = new Map<number, bigint>()
    for (const [partition, queue] of this.#queues) {
      const head = queue.items[queue.head]
      if (head !== undefined) offsets.set(partition, head.input.offset)
      else if (queue.lastDone !== null) offsets.set(partition, queue.lastDone + 1n)
    }
    return offsets
  }

  /**
   * Forgets stream partitions (revoked, or sought back to their committed offsets after an
   * aborted transaction); their records are read again and yield the same outputs.
   */
  dropStreamPartitions(partitions: readonly number[]): void {
    for (const partition of partitions) this.#queues.delete(partition)
  }

  /** How far the replica is behind the table topic (offsets, transaction markers included). */
  tableBehind(): bigint {
    return this.#progress.behind()
  }

  /** How many stream records wait per partition. */
  pending(): Map<number, number> {
    return new Map(
      [...this.#queues].map(([partition, queue]) => [partition, queue.items.length - queue.head]),
    )
  }

  counters(): Readonly<JoinCounters> {
    return { ...this.#counters }
  }

  /** Prunes table versions older than the history retention (rule 8); call now and then. */
  prune(horizonMs: bigint): number {
    return this.#store.prune(horizonMs)
  }

  #release(now: number): JoinOutput[] {
    this.#lastNow = Math.max(this.#lastNow, now)
    if (!this.bootstrapped()) return []
    const outputs: JoinOutput[] = []
    const partitions = [...this.#queues.keys()].sort((a, b) => a - b)
    for (const partition of partitions) {
      const queue = this.#queues.get(partition)
      if (queue !== undefined) this.#drain(queue, now, outputs)
    }
    return outputs
  }

  #drain(queue: StreamQueue, now: number, outputs: JoinOutput[]): void {
    for (let head = queue.items[queue.head]; head !== undefined; head = queue.items[queue.head]) {
      const { input } = head
      if (input.kind === 'change') {
        const waited = now - head.arrivedAt
        const synced =
          this.#transactionComplete(input) ||
          this.#progress.covers(input.pos, waited, this.#settings.idleGraceMs)
        if (!synced && waited < this.#settings.maxWaitMs) break
        if (!synced) this.#counters.timedOut++
        const value = enrich(input, this.#store, this.#settings.foreignKey, synced)
        if (this.#settings.joinType === 'inner' && value.table === null)
          this.#counters.innerDropped++
        else {
          outputs.push({
            kind: 'record',
            partition: input.partition,
            offset: input.offset,
            key: input.key,
            value,
            streamRowSchema: input.rowSchema,
            tableRowSchema: this.#store.rowSchema(),
          })
        }
      } else if (input.kind === 'tombstone') {
        outputs.push({
          kind: 'tombstone',
          partition: input.partition,
          offset: input.offset,
          key: input.key,
        })
      } else {
        this.#counters.ignored++
      }
      queue.lastDone = input.offset
      queue.head++
    }
    if (queue.head > 1024 && queue.head * 2 > queue.items.length) {
      queue.items.splice(0, queue.head)
      queue.head = 0
    }
  }

  #transactionComplete(input: JoinInput & { kind: 'change' }): boolean {
    const id = input.transaction?.id
    return id !== undefined && this.#transactions?.isComplete(id) === true
  }

  #schemaChange(schema: StructSchema | null): StructSchema | null {
    if (schema === null) return null
    const current = this.#store.rowSchema()
    if (
      current !== null &&
      (current === schema || connectJsonSchemaText(current) === connectJsonSchemaText(schema))
    ) {
      return null
    }
    return schema
  }
}

// Debezium names topics `<prefix>.<schema or db>.<table>` and counts changes in END records
// under `<schema or db>.<table>`; the table's own changes confirm or correct this guess.
function defaultDataCollection(tableTopic: string): string | null {
  const parts = tableTopic.split('.')
  return parts.length >= 3 ? parts.slice(-2).join('.') : null
}
