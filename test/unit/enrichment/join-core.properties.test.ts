import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { JoinInput } from '../../../enrichment/change-input.ts'
import type { CommitPosition } from '../../../enrichment/commit-position.ts'
import { coversPosition, maxPosition } from '../../../enrichment/commit-position.ts'
import type { JoinSettings } from '../../../enrichment/join-core.ts'
import { JoinCore } from '../../../enrichment/join-core.ts'
import type { JoinOutput } from '../../../enrichment/join-output.ts'
import { MemoryTableStore } from '../../../enrichment/memory-table-store.ts'
import {
  customer,
  customerTombstone,
  defaults,
  order,
  orderTombstone,
  show,
  summary,
} from './join-harness.ts'

// L2 of joins.md §6.6: replay determinism, per-key order, completeness, no early release.

interface Change {
  side: 'table' | 'stream'
  id: number
  op: 'c' | 'u' | 'd'
  fk: number | null
  beforeFk: number | null
  name: string
  tombstone: boolean
}

const changeArb: fc.Arbitrary<Change> = fc.record({
  side: fc.constantFrom('table' as const, 'stream' as const),
  id: fc.integer({ min: 1, max: 4 }),
  op: fc.constantFrom('c' as const, 'u' as const, 'd' as const),
  fk: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 6 }),
  beforeFk: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 4 }),
  name: fc.constantFrom('A', 'B', 'C'),
  tombstone: fc.boolean(),
})
const historyArb = fc.array(fc.array(changeArb, { minLength: 1, maxLength: 3 }), {
  minLength: 1,
  maxLength: 12,
})

type Unplaced = Omit<JoinInput, 'offset' | 'partition'>

interface Topics {
  /** Records per queue: table/0, table/1, stream/0, stream/1. */
  queues: Map<string, JoinInput[]>
}

const tablePartitions = 2
const streamPartitions = 2

/** One database history as the records of two 2-partition change topics. */
function topicsOf(history: readonly (readonly Change[])[]): Topics {
  const queues = new Map<string, JoinInput[]>()
  const push = (queue: string, input: Unplaced, partition: number) => {
    const list = queues.get(queue) ?? []
    list.push({ ...input, partition, offset: BigInt(list.length) } as JoinInput)
    queues.set(queue, list)
  }
  history.forEach((transaction, index) => {
    transaction.forEach((change, lsn) => {
      const pos = {
        kind: 'postgres',
        parts: [BigInt((index + 1) * 10), BigInt(lsn + 1)],
        txn: `c${index}`,
      }
      if (change.side === 'table') {
        const partition = change.id % tablePartitions
        push(
          `table/${partition}`,
          customer(change.id, change.op, 0, change.name, { pos }),
          partition,
        )
        if (change.op === 'd' && change.tombstone)
          push(`table/${partition}`, customerTombstone(change.id), partition)
      } else {
        const partition = change.id % streamPartitions
        const beforeFk = change.op === 'u' ? change.beforeFk : change.fk
        push(
          `stream/${partition}`,
          order(change.id, change.op, 0, change.fk, { pos, beforeFk }),
          partition,
        )
        if (change.op === 'd' && change.tombstone)
          push(`stream/${partition}`, orderTombstone(change.id), partition)
      }
    })
  })
  return { queues }
}

/** What each order change must be joined with: the table as of its transaction, from the whole history. */
function oracle(topics: Topics, joinType: 'left' | 'inner'): Map<number, string[]> {
  const versions = [...topics.queues]
    .filter(([name]) => name.startsWith('table'))
    .flatMap(([, list]) => list)
  const expected = new Map<number, string[]>()
  for (let partition = 0; partition < streamPartitions; partition++) {
    const lines: string[] = []
    for (const input of topics.queues.get(`stream/${partition}`) ?? []) {
      const key = (JSON.parse(Buffer.from(input.key ?? []).toString()) as { id: string }).id
      if (input.kind !== 'change') {
        lines.push(`O${key} tombstone`)
        continue
      }
      const row = input.op === 'd' ? input.before : input.after
      const fk = row?.customer_id ?? null
      const beforeFk = input.op === 'u' ? (input.before?.customer_id ?? null) : null
      const previous = beforeFk !== null && beforeFk !== fk ? ` previous=C${show(beforeFk)}` : ''
      let table = 'null unknown-fk'
      if (fk !== null) {
        const commit = input.pos.parts[0] ?? 0n
        const visible = versions.filter(
          (v) =>
            v.kind === 'change' &&
            v.keyValue !== null &&
            (v.keyValue as { id: bigint }).id === fk &&
            (v.pos.parts[0] ?? 0n) <= commit,
        )
        const last = visible.at(-1)
        if (last?.kind !== 'change') table = 'null absent'
        else
          table = last.after === null ? 'null deleted' : `{${show(last.after.name ?? null)}} found`
      }
      if (joinType === 'inner' && !table.endsWith('found')) continue
      lines.push(`O${key} ${input.op} ${table}${previous}`)
    }
    expected.set(partition, lines)
  }
  return expected
}

interface Run {
  outputs: JoinOutput[]
  /** Every breach of the no-early-release rule seen. */
  early: string[]
}

/**
 * Feeds the topics in an order picked by `choices` (each topic partition stays in order),
 * with the clock moving by `step(choice)`, and checks every release against what the
 * driver knows of the table partitions at that moment.
 */
function drive(
  topics: Topics,
  choices: readonly number[],
  settings: JoinSettings,
  step: (choice: number) => number,
  lagChance: number,
): Run {
  const ends = new Map<number, bigint>()
  for (let p = 0; p < tablePartitions; p++) ends.set(p, 0n)
  const core = new JoinCore({ settings, store: new MemoryTableStore(), tableEndOffsets: ends })
  const cursors = new Map([...topics.queues.keys()].map((name) => [name, 0]))
  const applied = new Map<number, { pos: CommitPosition | null; caughtUp: boolean }>()
  for (let p = 0; p < tablePartitions; p++) applied.set(p, { pos: null, caughtUp: true })
  const arrivals = new Map<string, number>()
  const run: Run = { outputs: [], early: [] }
  let now = 0
  const check = (outputs: JoinOutput[]) => {
    for (const output of outputs) {
      run.outputs.push(output)
      if (output.kind !== 'record') continue
      const input = topics.queues.get(`stream/${output.partition}`)?.[Number(output.offset)]
      const arrived = arrivals.get(`${output.partition}/${output.offset}`) ?? now
      if (input?.kind !== 'change') continue
      const waited = now - arrived
      const ok = output.value.tableRef.synced
        ? [...applied.values()].every(
            (state) =>
              (state.pos !== null && coversPosition(state.pos, input.pos)) ||
              (state.caughtUp && waited >= settings.idleGraceMs),
          )
        : waited >= settings.maxWaitMs
      if (!ok) run.early.push(`${summary(output)} at ${now}`)
    }
  }
  for (let index = 0; ; index++) {
    const open = [...cursors].filter(
      ([name, cursor]) => cursor < (topics.queues.get(name)?.length ?? 0),
    )
    if (open.length === 0) break
    const choice = choices[index % Math.max(1, choices.length)] ?? 0
    now += step(choice)
    const [name, cursor] = open[choice % open.length] ?? ['', 0]
    const list = topics.queues.get(name) ?? []
    const batch = list.slice(cursor, cursor + 1 + ((choice >> 3) % 3))
    cursors.set(name, cursor + batch.length)
    const partition = Number(name.split('/')[1])
    if (name.startsWith('table')) {
      const next = BigInt(cursor + batch.length)
      const lagging = (choice >> 5) % 100 < lagChance * 100
      const end = lagging || next < BigInt(list.length) ? BigInt(list.length) : next
      const state = applied.get(partition) ?? { pos: null, caughtUp: true }
      for (const input of batch)
        if (input.kind === 'change') state.pos = maxPosition(state.pos, input.pos)
      state.caughtUp = next >= end
      check(core.applyTable({ partition, inputs: batch, nextOffset: next, endOffset: end }, now))
    } else {
      for (const input of batch) arrivals.set(`${partition}/${input.offset}`, now)
      check(core.acceptStream({ partition, inputs: batch }, now))
    }
  }
  for (const state of applied.values()) state.caughtUp = true
  for (let p = 0; p < tablePartitions; p++) {
    const list = topics.queues.get(`table/${p}`) ?? []
    check(
      core.applyTable(
        {
          partition: p,
          inputs: [],
          nextOffset: BigInt(list.length),
          endOffset: BigInt(list.length),
        },
        now,
      ),
    )
  }
  now += settings.maxWaitMs
  check(core.tick(now))
  return run
}

function byPartition(outputs: readonly JoinOutput[]): Map<number, JoinOutput[]> {
  const map = new Map<number, JoinOutput[]>()
  for (let p = 0; p < streamPartitions; p++) map.set(p, [])
  for (const output of outputs) map.get(output.partition)?.push(output)
  return map
}

const choicesArb = fc.array(fc.nat({ max: 1 << 12 }), { minLength: 1, maxLength: 300 })
// Small clock steps: no idle grace or timeout can fire before the table side is complete.
const smallSteps = (choice: number) => choice % 7

describe('enrichment/join-core properties', () => {
  it('replay determinism: every interleaving gives the same outputs, equal to the as-of oracle', () => {
    fc.assert(
      fc.property(
        historyArb,
        choicesArb,
        choicesArb,
        fc.constantFrom('left' as const, 'inner' as const),
        (history, a, b, joinType) => {
          const topics = topicsOf(history)
          const settings = { ...defaults, joinType }
          const first = byPartition(drive(topics, a, settings, smallSteps, 0).outputs)
          const second = byPartition(drive(topics, b, settings, smallSteps, 0).outputs)
          assert.deepEqual(first, second)
          const expected = oracle(topics, joinType)
          for (const [partition, outputs] of first)
            assert.deepEqual(outputs.map(summary), expected.get(partition))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('per-key order and completeness: one output per stream record, in input order per key', () => {
    fc.assert(
      fc.property(historyArb, choicesArb, (history, choices) => {
        const topics = topicsOf(history)
        const run = drive(topics, choices, defaults, (choice) => choice * 11, 0.3)
        const streamRecords = [...topics.queues]
          .filter(([name]) => name.startsWith('stream'))
          .flatMap(([, list]) => list)
        assert.equal(run.outputs.length, streamRecords.length)
        const lastOffset = new Map<string, bigint>()
        for (const output of run.outputs) {
          const key = `${output.partition}/${Buffer.from(output.key ?? []).toString()}`
          const previous = lastOffset.get(key)
          assert.ok(previous === undefined || previous < output.offset, `order of ${key}`)
          lastOffset.set(key, output.offset)
        }
        const seen = new Set(run.outputs.map((output) => `${output.partition}/${output.offset}`))
        assert.equal(seen.size, streamRecords.length)
      }),
      { numRuns: 300 },
    )
  })

  it('no early release: synced only behind the watermark or idle grace, unsynced only after max wait', () => {
    fc.assert(
      fc.property(
        historyArb,
        choicesArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (history, choices, lagChance) => {
          const topics = topicsOf(history)
          const settings = { ...defaults, idleGraceMs: 300, maxWaitMs: 2000 }
          const run = drive(topics, choices, settings, (choice) => (choice * 37) % 900, lagChance)
          assert.deepEqual(run.early, [])
        },
      ),
      { numRuns: 300 },
    )
  })
})
