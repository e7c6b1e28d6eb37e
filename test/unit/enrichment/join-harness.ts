import type { ConnectValue, StructValue } from '../../../envelope/connect-schema.ts'
import type { JoinInput, RowChangeInput } from '../../../enrichment/change-input.ts'
import type { CommitPosition } from '../../../enrichment/commit-position.ts'
import type { JoinSettings } from '../../../enrichment/join-core.ts'
import { JoinCore } from '../../../enrichment/join-core.ts'
import type { JoinOutput } from '../../../enrichment/join-output.ts'
import { MemoryTableStore } from '../../../enrichment/memory-table-store.ts'
import type { TableStore } from '../../../enrichment/table-store.ts'

/**
 * The scenario notation of joins.md §6.4 in code: `C1 c@5{A}` is customer(1, 'c', 5, 'A'),
 * `O1 c@10 fk=C1` is order(1, 'c', 10, 1). A position @n is transaction n of a PostgreSQL
 * source (source.sequence [n, lsn]); `lsn` orders changes inside one transaction.
 */

export const day = 24 * 60 * 60 * 1000
export const nowMs = 1_800_000_000_000

export function at(commit: number, lsn = 0): CommitPosition {
  return { kind: 'postgres', parts: [BigInt(commit), BigInt(lsn)], txn: `c${commit}` }
}

const keyBytes = (kind: string, id: number | string) => Buffer.from(JSON.stringify({ id, kind }))

export interface Extra {
  lsn?: number
  tsMs?: number
  pos?: CommitPosition
  /** The event's transaction block (strict mode). */
  transaction?: { id: string; dataCollectionOrder: bigint }
}

export function customer(
  id: number,
  op: 'c' | 'u' | 'd' | 'r',
  commit: number,
  name: string | null = null,
  extra: Extra = {},
): Omit<RowChangeInput, 'offset' | 'partition'> {
  const row = { id: BigInt(id), name }
  return {
    kind: 'change',
    topic: 'customers',
    key: keyBytes('customer', id),
    keyValue: { id: BigInt(id) },
    keySchema: null,
    op,
    before: op === 'd' ? row : null,
    after: op === 'd' ? null : row,
    rowSchema: null,
    pos: extra.pos ?? at(commit, extra.lsn ?? 0),
    tsMs: BigInt(extra.tsMs ?? nowMs),
    transaction: extra.transaction ?? null,
    dataCollection: 'public.customers',
  }
}

export function customerTombstone(id: number): Omit<JoinInput, 'offset' | 'partition'> {
  return {
    kind: 'tombstone',
    topic: 'customers',
    key: keyBytes('customer', id),
    keyValue: { id: BigInt(id) },
    keySchema: null,
  }
}

export interface OrderExtra extends Extra {
  /** The old row's foreign key on u/d; 'missing' leaves the column out (REPLICA IDENTITY DEFAULT). */
  beforeFk?: number | null | 'missing'
}

export function order(
  id: number | string,
  op: 'c' | 'u' | 'd' | 'r',
  commit: number,
  fk: number | null,
  extra: OrderExtra = {},
): Omit<RowChangeInput, 'offset' | 'partition'> {
  const row = (customerId: number | null): StructValue => ({
    id: String(id),
    customer_id: customerId === null ? null : BigInt(customerId),
  })
  const oldFk = extra.beforeFk ?? fk
  const before =
    op === 'c' || op === 'r'
      ? null
      : oldFk === 'missing'
        ? { id: String(id), customer_id: null }
        : row(oldFk)
  return {
    kind: 'change',
    topic: 'orders',
    key: keyBytes('order', id),
    keyValue: { id: String(id) },
    keySchema: null,
    op,
    before,
    after: op === 'd' ? null : row(fk),
    rowSchema: null,
    pos: extra.pos ?? at(commit, extra.lsn ?? 0),
    tsMs: BigInt(extra.tsMs ?? nowMs),
    transaction: extra.transaction ?? null,
    dataCollection: 'public.orders',
  }
}

export function orderTombstone(id: number | string): Omit<JoinInput, 'offset' | 'partition'> {
  return {
    kind: 'tombstone',
    topic: 'orders',
    key: keyBytes('order', id),
    keyValue: { id: String(id) },
    keySchema: null,
  }
}

export const defaults: JoinSettings = {
  foreignKey: ['customer_id'],
  joinType: 'left',
  idleGraceMs: 1000,
  maxWaitMs: 30_000,
  tableTopic: 'srv.public.customers',
  transactionTopic: null,
}

type Unplaced = Omit<JoinInput, 'offset' | 'partition'>

/** A core plus per-partition offset counters; every call returns what it released. */
export class Harness {
  readonly core: JoinCore
  readonly store: TableStore
  readonly released: JoinOutput[] = []
  readonly #offsets = new Map<string, bigint>()

  constructor(
    options: {
      settings?: Partial<JoinSettings>
      store?: TableStore
      tablePartitions?: number
      startupEnd?: bigint
    } = {},
  ) {
    this.store = options.store ?? new MemoryTableStore()
    const ends = new Map<number, bigint>()
    for (let p = 0; p < (options.tablePartitions ?? 1); p++) ends.set(p, options.startupEnd ?? 0n)
    this.core = new JoinCore({
      settings: { ...defaults, ...options.settings },
      store: this.store,
      tableEndOffsets: ends,
    })
  }

  /** Table records at `t`; the partition counts as read to its end unless `lagging`. */
  table(
    t: number,
    inputs: Unplaced[],
    options: { partition?: number; lagging?: boolean } = {},
  ): JoinOutput[] {
    const partition = options.partition ?? 0
    const placed = this.#place('table', partition, inputs)
    const next = this.#offsets.get(`table/${partition}`) ?? 0n
    const out = this.core.applyTable(
      {
        partition,
        inputs: placed,
        nextOffset: next,
        endOffset: options.lagging === true ? next + 100n : next,
      },
      t,
    )
    this.released.push(...out)
    return out
  }

  stream(t: number, inputs: Unplaced[], partition = 0): JoinOutput[] {
    const out = this.core.acceptStream(
      { partition, inputs: this.#place('stream', partition, inputs) },
      t,
    )
    this.released.push(...out)
    return out
  }

  tick(t: number): JoinOutput[] {
    const out = this.core.tick(t)
    this.released.push(...out)
    return out
  }

  #place(side: string, partition: number, inputs: Unplaced[]): JoinInput[] {
    const name = `${side}/${partition}`
    let offset = this.#offsets.get(name) ?? 0n
    const placed = inputs.map((input) => ({ ...input, partition, offset: offset++ }) as JoinInput)
    this.#offsets.set(name, offset)
    return placed
  }
}

/** A key or name value as the scenario notation writes it. */
export function show(value: ConnectValue): string {
  return typeof value === 'string' || typeof value === 'bigint' || typeof value === 'number'
    ? String(value)
    : JSON.stringify(value)
}

/** An output in the notation of the scenario table. */
export function summary(output: JoinOutput): string {
  const key = (JSON.parse(Buffer.from(output.key ?? []).toString()) as { id: string }).id
  if (output.kind === 'tombstone') return `O${key} tombstone`
  const { value } = output
  const name = value.table === null ? 'null' : `{${show(value.table.name ?? null)}}`
  const ref = value.tableRef
  const previous =
    ref.previousKey === null ? '' : ` previous=C${show(ref.previousKey.customer_id ?? null)}`
  return `O${key} ${value.op} ${name} ${ref.status}${ref.synced ? '' : ' unsynced'}${previous}`
}

export function summaries(outputs: readonly JoinOutput[]): string[] {
  return outputs.map(summary)
}
