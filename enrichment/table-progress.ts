import type { CommitPosition } from './commit-position.ts'
import { coversPosition } from './commit-position.ts'
import type { TablePartitionState } from './table-store.ts'

/**
 * Where the table replica stands per table partition, and from that the watermark W of
 * rule 2: a stream change may be released once every table partition has moved past its
 * transaction, or is read to its end and the change has waited `idle.grace.ms`.
 */

interface PartitionProgress {
  /** Next offset to consume; null until known (a new store reads from the earliest offset). */
  nextOffset: bigint | null
  /** The partition's end offset (high watermark, or last stable offset) as last reported. */
  endOffset: bigint
  /** The end offset at startup: nothing is released before every partition reached it (rule 10). */
  startupEnd: bigint
  appliedPos: CommitPosition | null
}

export class TableProgress {
  readonly #partitions = new Map<number, PartitionProgress>()
  #bootstrapped = false

  constructor(endOffsets: ReadonlyMap<number, bigint>, stored: readonly TablePartitionState[]) {
    const byPartition = new Map(stored.map((state) => [state.partition, state]))
    for (const [partition, endOffset] of endOffsets) {
      const state = byPartition.get(partition)
      this.#partitions.set(partition, {
        nextOffset: state?.nextOffset ?? null,
        endOffset,
        startupEnd: endOffset,
        appliedPos: state?.appliedPos ?? null,
      })
    }
  }

  /** Where to start consuming each table partition; null means from the earliest offset. */
  startOffsets(): Map<number, bigint | null> {
    return new Map([...this.#partitions].map(([partition, state]) => [partition, state.nextOffset]))
  }

  appliedPos(partition: number): CommitPosition | null {
    return this.#partitions.get(partition)?.appliedPos ?? null
  }

  update(
    partition: number,
    nextOffset: bigint | null,
    endOffset: bigint | null,
    appliedPos: CommitPosition | null,
  ): void {
    const state = this.#partitions.get(partition) ?? {
      nextOffset: null,
      endOffset: 0n,
      startupEnd: 0n,
      appliedPos: null,
    }
    this.#partitions.set(partition, {
      ...state,
      nextOffset: nextOffset ?? state.nextOffset,
      endOffset: endOffset ?? state.endOffset,
      appliedPos,
    })
  }

  bootstrapped(): boolean {
    if (!this.#bootstrapped) {
      this.#bootstrapped = [...this.#partitions.values()].every((state) =>
        state.nextOffset === null ? state.startupEnd === 0n : state.nextOffset >= state.startupEnd,
      )
    }
    return this.#bootstrapped
  }

  /** Offsets between the replica and the end offsets last reported, over all partitions. */
  behind(): bigint {
    let behind = 0n
    for (const state of this.#partitions.values()) {
      const next = state.nextOffset ?? 0n
      if (state.endOffset > next) behind += state.endOffset - next
    }
    return behind
  }

  /** Whether the table side can deliver nothing more that is visible at `pos`. */
  covers(pos: CommitPosition, waitedMs: number, idleGraceMs: number): boolean {
    for (const state of this.#partitions.values()) {
      if (state.appliedPos !== null && coversPosition(state.appliedPos, pos)) continue
      const caughtUp =
        state.nextOffset === null ? state.endOffset === 0n : state.nextOffset >= state.endOffset
      if (caughtUp && waitedMs >= idleGraceMs) continue
      return false
    }
    return true
  }
}
