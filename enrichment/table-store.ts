import type { StructSchema, StructValue } from '../envelope/connect-schema.ts'
import type { CommitPosition } from './commit-position.ts'
import { comparePositions, isVisibleTo } from './commit-position.ts'

/**
 * The table side of the join as the core sees it: versions per key ordered by position,
 * per-partition progress, and one atomic write per applied batch. The core runs on
 * MemoryTableStore in tests and on the LMDB store (state-store.ts) in production.
 */

export interface TableVersion {
  /** The key text (table-key.ts). */
  key: string
  pos: CommitPosition
  /**
   * A delete recorded for a tombstone whose `d` event was compacted away (rule 5). It has
   * no position of its own, so it takes its partition's last one and sorts after a real
   * change at that position.
   */
  fromTombstone: boolean
  /** `source.ts_ms` of the change (history retention); a tombstone's delete inherits it. */
  tsMs: bigint
  /** The row after the change, or null for a delete. */
  row: StructValue | null
}

export interface TablePartitionState {
  partition: number
  /** The next offset to consume from this partition. */
  nextOffset: bigint
  /** The newest position applied from this partition; null before its first change. */
  appliedPos: CommitPosition | null
}

/** Everything one applied table batch changes; a store writes it all or nothing. */
export interface TableBatchWrite {
  versions: readonly TableVersion[]
  partitions: readonly TablePartitionState[]
  /** The table's row schema when the batch brought a new one. */
  rowSchema: StructSchema | null
}

export interface TableStore {
  /** The greatest version of `key` visible as of `pos` (rule 3), deletes included. */
  asOf(key: string, pos: CommitPosition): TableVersion | undefined
  /** The newest version of `key`. */
  latest(key: string): TableVersion | undefined
  /** Whether a change (not a tombstone's delete) of `key` at `pos` is stored (rule 6). */
  has(key: string, pos: CommitPosition): boolean
  partitions(): TablePartitionState[]
  /** The newest known row schema of the table, for Avro output. */
  rowSchema(): StructSchema | null
  /** `source.ts_ms` before which versions may have been pruned; null if never pruned. */
  horizonMs(): bigint | null
  apply(batch: TableBatchWrite): void
  /**
   * Drops, per key, every version older than the newest one at or before `horizonMs`, so
   * that as-of lookups at or after the horizon stay exact (rule 8). Returns how many.
   */
  prune(horizonMs: bigint): number
}

export function compareVersions(a: TableVersion, b: TableVersion): number {
  return comparePositions(a.pos, b.pos) || Number(a.fromTombstone) - Number(b.fromTombstone)
}

/** The first visible version among versions of one key given newest first. */
export function pickVisible(
  newestFirst: Iterable<TableVersion>,
  pos: CommitPosition,
): TableVersion | undefined {
  for (const version of newestFirst) {
    if (isVisibleTo(version.pos, pos)) return version
  }
  return undefined
}

/** How many of one key's versions (oldest first) the horizon makes obsolete, from the front. */
export function obsoleteCount(oldestFirst: readonly TableVersion[], horizonMs: bigint): number {
  let newestBefore = -1
  oldestFirst.forEach((version, index) => {
    if (version.tsMs <= horizonMs) newestBefore = index
  })
  return Math.max(0, newestBefore)
}
