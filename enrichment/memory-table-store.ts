import type { StructSchema } from '../envelope/connect-schema.ts'
import type { CommitPosition } from './commit-position.ts'
import { comparePositions } from './commit-position.ts'
import type {
  TableBatchWrite,
  TablePartitionState,
  TableStore,
  TableVersion,
} from './table-store.ts'
import { compareVersions, obsoleteCount, pickVisible } from './table-store.ts'

/** The table store in memory: for tests, and the reference the LMDB store is checked against. */
export class MemoryTableStore implements TableStore {
  readonly #versions = new Map<string, TableVersion[]>()
  readonly #partitions = new Map<number, TablePartitionState>()
  #rowSchema: StructSchema | null = null
  #horizonMs: bigint | null = null

  asOf(key: string, pos: CommitPosition): TableVersion | undefined {
    return pickVisible([...(this.#versions.get(key) ?? [])].reverse(), pos)
  }

  latest(key: string): TableVersion | undefined {
    return this.#versions.get(key)?.at(-1)
  }

  has(key: string, pos: CommitPosition): boolean {
    return (this.#versions.get(key) ?? []).some(
      (version) => !version.fromTombstone && comparePositions(version.pos, pos) === 0,
    )
  }

  partitions(): TablePartitionState[] {
    return [...this.#partitions.values()].sort((a, b) => a.partition - b.partition)
  }

  rowSchema(): StructSchema | null {
    return this.#rowSchema
  }

  horizonMs(): bigint | null {
    return this.#horizonMs
  }

  apply(batch: TableBatchWrite): void {
    for (const version of batch.versions) {
      const list = this.#versions.get(version.key) ?? []
      const same = list.findIndex((existing) => compareVersions(existing, version) === 0)
      if (same >= 0) list[same] = version
      else list.push(version)
      list.sort(compareVersions)
      this.#versions.set(version.key, list)
    }
    for (const partition of batch.partitions) this.#partitions.set(partition.partition, partition)
    if (batch.rowSchema !== null) this.#rowSchema = batch.rowSchema
  }

  prune(horizonMs: bigint): number {
    if (this.#horizonMs === null || horizonMs > this.#horizonMs) this.#horizonMs = horizonMs
    let removed = 0
    for (const list of this.#versions.values()) {
      const count = obsoleteCount(list, this.#horizonMs)
      list.splice(0, count)
      removed += count
    }
    return removed
  }

  /** Every version, in key and position order (for comparing stores in tests). */
  dump(): TableVersion[] {
    return [...this.#versions.keys()].sort().flatMap((key) => this.#versions.get(key) ?? [])
  }
}
