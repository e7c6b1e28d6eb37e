import type { RowChangeInput } from './change-input.ts'
import type { TransactionMarker } from './transaction-input.ts'

/**
 * Strict release (joins.md §4.3, S11): a transaction is complete on the table side when its
 * END record has been read and the replica has applied as many of its table changes as END
 * counts. END records come in commit order, so once a transaction and every one before it
 * are complete, the replica holds the database state as of that transaction exactly, and
 * stream changes of it can be released without the idle-grace wait.
 *
 * Only what was seen since startup counts: after a restart, stream changes of transactions
 * whose table changes were applied before it fall back to the watermark rule.
 */

// Bounds the memory for transactions whose END never comes (e.g. metadata turned off).
const maxTracked = 100_000

export class TransactionTracker {
  #collection: string | null
  /** data_collection_order of the table changes applied, per transaction id. */
  readonly #seen = new Map<string, Set<bigint>>()
  /** END records not yet known complete, in commit order. */
  readonly #pending: TransactionMarker[] = []
  readonly #complete = new Set<string>()
  #overflowed = false

  /** `collection` is the table's data collection (`schema.table`), when known up front. */
  constructor(collection: string | null) {
    this.#collection = collection
  }

  noteTableChange(input: RowChangeInput): void {
    if (input.transaction === null) return
    if (input.dataCollection !== null) this.#collection = input.dataCollection
    let orders = this.#seen.get(input.transaction.id)
    if (orders === undefined) {
      orders = new Set()
      this.#seen.set(input.transaction.id, orders)
      trim(this.#seen)
    }
    // A set, so that changes re-delivered by Debezium are not counted twice.
    orders.add(input.transaction.dataCollectionOrder)
  }

  noteMarker(marker: TransactionMarker): void {
    if (marker.status !== 'END' || this.#overflowed) return
    this.#pending.push(marker)
    if (this.#pending.length > maxTracked) {
      // An END that never completes blocks every later one; rather than guess past it,
      // strict release stops and the watermark rule alone releases from now on.
      this.#overflowed = true
      this.#pending.length = 0
      this.#complete.clear()
    }
  }

  /** True once strict release gave up (see noteMarker). */
  overflowed(): boolean {
    return this.#overflowed
  }

  /** Moves every END whose table changes are all applied, in order, to the complete set. */
  advance(): void {
    let done = 0
    for (const marker of this.#pending) {
      const collection = this.#collection
      // Until the table's collection is known, only an END that counts no table is decidable.
      const needed =
        collection === null
          ? marker.counts.size === 0
            ? 0n
            : null
          : (marker.counts.get(collection) ?? 0n)
      const seen = BigInt(this.#seen.get(marker.id)?.size ?? 0)
      if (needed === null || seen < needed) break
      this.#complete.add(marker.id)
      this.#seen.delete(marker.id)
      done++
    }
    this.#pending.splice(0, done)
    trim(this.#complete)
  }

  /** Whether `id` and every transaction committed before it are complete on the table side. */
  isComplete(id: string): boolean {
    return this.#complete.has(id)
  }
}

function trim<T>(collection: Set<T> | Map<T, unknown>): void {
  if (collection.size <= maxTracked) return
  for (const key of collection.keys()) {
    collection.delete(key)
    if (collection.size <= maxTracked) return
  }
}
