import { mkdirSync } from 'node:fs'
import type { Database, RootDatabase } from 'lmdb'
import { open } from 'lmdb'
import { CdcError, errorMessage } from '../common/errors.ts'
import type { StructSchema, StructValue } from '../envelope/connect-schema.ts'
import { connectJsonSchemaText } from '../envelope/json-format.ts'
import type { CommitPosition } from './commit-position.ts'
import { connectSchemaFromJson } from './connect-json-reader.ts'
import { parseExactJson } from './exact-json.ts'
import type { Stored } from './stored-value.ts'
import { fromStored, toStored } from './stored-value.ts'
import type {
  TableBatchWrite,
  TablePartitionState,
  TableStore,
  TableVersion,
} from './table-store.ts'
import { obsoleteCount, pickVisible } from './table-store.ts'

/**
 * The table replica in LMDB (rule 8). Versions are keyed [table key, position] so that an
 * as-of lookup is one short reverse range read; the versions, the per-partition offsets and
 * positions and the row schema of a batch go into ONE write transaction, so after a crash
 * the store is exactly the state after some applied batch and resumes from its own offsets.
 * Reads are synchronous (lmdb's `get`/`getRange`), as the join's hot path needs.
 */

export interface StateStoreOptions {
  /** `state.dir`; created if missing. */
  path: string
  /** The table topic the state belongs to; a store built from another topic is refused. */
  tableTopic: string
}

type VersionDoc = [kind: string, parts: string[], txn: string | null, tsMs: string, row: Stored]
type PartitionDoc = [nextOffset: string, pos: [string, string[], string | null] | null]

const maxPart = 2n ** 64n
// LMDB keys are limited to 1978 bytes; the position part takes at most 50 of them.
const maxKeyTextBytes = 1900
// Prunes are split into several transactions; each one leaves a valid store.
const pruneChunk = 10_000

export class LmdbStateStore implements TableStore {
  readonly #root: RootDatabase<string, string>
  readonly #versions: Database<string, [string, string]>
  readonly #partitions: Database<string, number>
  readonly #meta: Database<string, string>
  #rowSchema: StructSchema | null

  private constructor(root: RootDatabase<string, string>) {
    this.#root = root
    this.#versions = root.openDB({ name: 'versions', encoding: 'string' })
    this.#partitions = root.openDB({ name: 'partitions', encoding: 'string' })
    this.#meta = root.openDB({ name: 'meta', encoding: 'string' })
    const schemaText = this.#meta.get('rowSchema')
    this.#rowSchema =
      schemaText === undefined
        ? null
        : (connectSchemaFromJson(parseExactJson(schemaText), 'stored row schema') as StructSchema)
  }

  /** Opens (or creates) the store in `path`; throws CDC_CONFIG_INVALID for another table's store. */
  static open(options: StateStoreOptions): LmdbStateStore {
    let store: LmdbStateStore
    try {
      mkdirSync(options.path, { recursive: true })
      store = new LmdbStateStore(
        open<string, string>({ path: options.path, maxDbs: 4, encoding: 'string' }),
      )
    } catch (error) {
      throw storeFailed(`cannot open the state store in ${options.path}`, error, false)
    }
    const topic = store.#meta.get('tableTopic')
    if (topic === undefined) {
      store.#write(() => {
        store.#meta.putSync('tableTopic', options.tableTopic)
      })
    } else if (topic !== options.tableTopic) {
      void store.close()
      throw new CdcError(
        'CDC_CONFIG_INVALID',
        `state.dir ${options.path} holds the join state of table topic ${topic}, not ${options.tableTopic}; ` +
          'give this join its own state.dir (or delete the directory to rebuild it)',
        { details: { field: 'state.dir', storedTopic: topic } },
      )
    }
    return store
  }

  /** True before the first applied batch: the stage must rebuild from the topic's beginning. */
  isEmpty(): boolean {
    return this.#partitions.getKeysCount() === 0
  }

  asOf(key: string, pos: CommitPosition): TableVersion | undefined {
    return pickVisible(this.#newestFirst(key), pos)
  }

  latest(key: string): TableVersion | undefined {
    for (const version of this.#newestFirst(key)) return version
    return undefined
  }

  has(key: string, pos: CommitPosition): boolean {
    return this.#versions.get([key, positionKey(pos, false)]) !== undefined
  }

  partitions(): TablePartitionState[] {
    return [...this.#partitions.getRange()].map(({ key, value }) => readPartition(key, value))
  }

  rowSchema(): StructSchema | null {
    return this.#rowSchema
  }

  horizonMs(): bigint | null {
    const text = this.#meta.get('horizonMs')
    return text === undefined ? null : BigInt(text)
  }

  apply(batch: TableBatchWrite): void {
    for (const version of batch.versions) checkKeyLength(version.key)
    const versions = batch.versions.map((version) => ({
      key: [version.key, positionKey(version.pos, version.fromTombstone)] as [string, string],
      doc: JSON.stringify(versionDoc(version)),
    }))
    const schemaText = batch.rowSchema === null ? null : connectJsonSchemaText(batch.rowSchema)
    this.#write(() => {
      for (const { key, doc } of versions) this.#versions.putSync(key, doc)
      for (const partition of batch.partitions) {
        this.#partitions.putSync(partition.partition, JSON.stringify(partitionDoc(partition)))
      }
      if (schemaText !== null) this.#meta.putSync('rowSchema', schemaText)
    })
    if (batch.rowSchema !== null) this.#rowSchema = batch.rowSchema
  }

  prune(horizonMs: bigint): number {
    const current = this.horizonMs()
    const horizon = current !== null && current > horizonMs ? current : horizonMs
    // The horizon is stored first: a crash in the middle of pruning must never leave
    // pruned versions behind a horizon that does not explain their absence.
    this.#write(() => {
      this.#meta.putSync('horizonMs', horizon.toString())
    })
    const obsolete: [string, string][] = []
    let group: { key: string; entries: { id: [string, string]; version: TableVersion }[] } | null =
      null
    const flush = () => {
      if (group === null) return
      const count = obsoleteCount(
        group.entries.map((entry) => entry.version),
        horizon,
      )
      for (const entry of group.entries.slice(0, count)) obsolete.push(entry.id)
    }
    for (const { key, value } of this.#versions.getRange({ snapshot: true })) {
      if (group === null || group.key !== key[0]) {
        flush()
        group = { key: key[0], entries: [] }
      }
      group.entries.push({ id: key, version: readVersion(key, value) })
    }
    flush()
    for (let start = 0; start < obsolete.length; start += pruneChunk) {
      const chunk = obsolete.slice(start, start + pruneChunk)
      this.#write(() => {
        for (const id of chunk) this.#versions.removeSync(id)
      })
    }
    return obsolete.length
  }

  /** Every version in store order (for tests and diagnostics). */
  dump(): TableVersion[] {
    return [...this.#versions.getRange()].map(({ key, value }) => readVersion(key, value))
  }

  async close(): Promise<void> {
    await this.#root.close()
  }

  *#newestFirst(key: string): Generator<TableVersion> {
    for (const entry of this.#versions.getRange({
      start: [key, '\uffff'],
      end: [key],
      reverse: true,
    })) {
      yield readVersion(entry.key, entry.value)
    }
  }

  #write(body: () => void): void {
    try {
      this.#root.transactionSync(body)
    } catch (error) {
      throw storeFailed('a write to the join state store failed and was rolled back', error, true)
    }
  }
}

/** The store key of a position: fixed-width hex per part, so byte order is position order. */
function positionKey(pos: CommitPosition, fromTombstone: boolean): string {
  const hex = pos.parts.map((part) => {
    if (part < 0n || part >= maxPart) {
      throw new CdcError(
        'CDC_ENRICH_INPUT_INVALID',
        `position part ${part} is outside 0..2^64-1 and cannot be stored`,
      )
    }
    return part.toString(16).padStart(16, '0')
  })
  return `${hex.join('')}${fromTombstone ? '1' : '0'}`
}

function checkKeyLength(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8')
  if (bytes <= maxKeyTextBytes) return
  throw new CdcError(
    'CDC_ENRICH_STORE_FAILED',
    `a table key of ${bytes} bytes (${key.slice(0, 60)}…) is longer than the ${maxKeyTextBytes} ` +
      'bytes the join state store can index; join on a shorter key',
    { details: { keyBytes: bytes } },
  )
}

function versionDoc(version: TableVersion): VersionDoc {
  const { pos } = version
  return [
    pos.kind,
    pos.parts.map(String),
    pos.txn,
    version.tsMs.toString(),
    version.row === null ? null : toStored(version.row),
  ]
}

function readVersion(id: [string, string], text: string): TableVersion {
  const [kind, parts, txn, tsMs, row] = JSON.parse(text) as VersionDoc
  return {
    key: id[0],
    pos: { kind, parts: parts.map(BigInt), txn },
    fromTombstone: id[1].endsWith('1'),
    tsMs: BigInt(tsMs),
    row: row === null ? null : (fromStored(row) as StructValue),
  }
}

function partitionDoc(state: TablePartitionState): PartitionDoc {
  const pos = state.appliedPos
  return [
    state.nextOffset.toString(),
    pos === null ? null : [pos.kind, pos.parts.map(String), pos.txn],
  ]
}

function readPartition(partition: number, text: string): TablePartitionState {
  const [nextOffset, pos] = JSON.parse(text) as PartitionDoc
  return {
    partition,
    nextOffset: BigInt(nextOffset),
    appliedPos: pos === null ? null : { kind: pos[0], parts: pos[1].map(BigInt), txn: pos[2] },
  }
}

function storeFailed(what: string, cause: unknown, retriable: boolean): CdcError {
  return new CdcError(
    'CDC_ENRICH_STORE_FAILED',
    `${what}: ${errorMessage(cause)}. Check disk space and permissions of state.dir; an empty state.dir is rebuilt from the table topic`,
    { cause, retriable },
  )
}
