import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import type { JoinInput } from '../../../enrichment/change-input.ts'
import { JoinCore } from '../../../enrichment/join-core.ts'
import type { JoinOutput } from '../../../enrichment/join-output.ts'
import { LmdbStateStore } from '../../../enrichment/state-store.ts'
import type { TableStore } from '../../../enrichment/table-store.ts'
import { customer, customerTombstone, defaults, order, summaries } from './join-harness.ts'
import { rowSchema, tableStoreContract, version } from './table-store-contract.ts'

const root = mkdtempSync(join(tmpdir(), 'cdc-join-store-'))
after(() => {
  rmSync(root, { recursive: true, force: true })
})
let dirs = 0
const freshDir = () => join(root, `store-${++dirs}`)
const openStore = (path: string, tableTopic = 'customers') =>
  LmdbStateStore.open({ path, tableTopic })

type Unplaced = Omit<JoinInput, 'offset' | 'partition'>
const place = (inputs: Unplaced[], from = 0): JoinInput[] =>
  inputs.map(
    (input, index) => ({ ...input, partition: 0, offset: BigInt(from + index) }) as JoinInput,
  )

// A customers log and an orders log of one database history.
const customersLog = place([
  customer(1, 'c', 5, 'A'),
  customer(2, 'c', 6, 'Z'),
  customer(1, 'u', 12, 'B'),
  customer(2, 'd', 20),
  customerTombstone(2),
  customer(3, 'c', 25, 'K'),
  customer(9, 'c', 90, 'late'),
])
const ordersLog = place([
  order(1, 'c', 10, 1),
  order(2, 'c', 22, 2),
  order(4, 'c', 26, 3),
  order(3, 'c', 40, 1),
  order(1, 'u', 41, 3, { beforeFk: 1 }),
])

function core(store: TableStore, end: bigint): JoinCore {
  return new JoinCore({ settings: defaults, store, tableEndOffsets: new Map([[0, end]]) })
}

/** The crash-free run: each record delivered in position order, the table never idle. */
function crashFree(store: TableStore): JoinOutput[] {
  const join = core(store, 0n)
  const outputs: JoinOutput[] = []
  // Table offsets and order offsets, interleaved in commit order.
  const script: [side: 'table' | 'stream', offsets: number[]][] = [
    ['table', [0, 1]],
    ['stream', [0]],
    ['table', [2, 3, 4]],
    ['stream', [1]],
    ['table', [5]],
    ['stream', [2, 3, 4]],
    ['table', [6]],
  ]
  for (const [side, offsets] of script) {
    if (side === 'table') {
      const inputs = offsets
        .map((offset) => customersLog[offset])
        .filter((input) => input !== undefined)
      const next = BigInt((offsets.at(-1) ?? 0) + 1)
      outputs.push(
        ...join.applyTable({ partition: 0, inputs, nextOffset: next, endOffset: next + 1n }, 0),
      )
    } else {
      const inputs = offsets
        .map((offset) => ordersLog[offset])
        .filter((input) => input !== undefined)
      outputs.push(...join.acceptStream({ partition: 0, inputs }, 0))
    }
  }
  outputs.push(...join.tick(30_000))
  return outputs
}

describe('enrichment/state-store (LMDB)', () => {
  tableStoreContract(() => {
    const store = openStore(freshDir())
    return { store, done: () => store.close() }
  })

  it('keeps versions, offsets, positions, schema and horizon across a reopen', async () => {
    const path = freshDir()
    const first = openStore(path)
    assert.equal(first.isEmpty(), true)
    first.apply({
      versions: [version('[1]', 5, 'A', 10n), version('[1]', 9, 'B', 20n)],
      partitions: [{ partition: 0, nextOffset: 2n, appliedPos: version('[1]', 9, null).pos }],
      rowSchema,
    })
    first.prune(15n)
    const before = first.dump()
    await first.close()
    const second = openStore(path)
    assert.equal(second.isEmpty(), false)
    assert.deepEqual(second.dump(), before)
    assert.deepEqual(second.partitions(), [
      { partition: 0, nextOffset: 2n, appliedPos: version('[1]', 9, null).pos },
    ])
    assert.deepEqual(second.rowSchema(), rowSchema)
    assert.equal(second.horizonMs(), 15n)
    await second.close()
  })

  it('refuses keys longer than LMDB can index, writing nothing of the batch', async () => {
    const store = openStore(freshDir())
    assert.throws(
      () => {
        store.apply({
          versions: [
            version('[1]', 1, 'ok'),
            { ...version('[1]', 2, 'x'), key: `["${'k'.repeat(2000)}"]` },
          ],
          partitions: [{ partition: 0, nextOffset: 2n, appliedPos: null }],
          rowSchema: null,
        })
      },
      (error) =>
        isCdcError(error) &&
        error.code === 'CDC_ENRICH_STORE_FAILED' &&
        /shorter key/.test(error.message),
    )
    assert.deepEqual(store.dump(), [])
    assert.equal(store.isEmpty(), true)
    await store.close()
  })

  it('refuses a state.dir that holds another table’s state', async () => {
    const path = freshDir()
    await openStore(path, 'customers').close()
    assert.throws(
      () => openStore(path, 'suppliers'),
      (error) =>
        isCdcError(error) &&
        error.code === 'CDC_CONFIG_INVALID' &&
        /table topic customers/.test(error.message),
    )
  })

  it('S7b: a lost store is rebuilt from the topic before any order is released, with the same outputs', async () => {
    const reference = openStore(freshDir())
    const expected = crashFree(reference)
    await reference.close()
    assert.deepEqual(summaries(expected), [
      'O1 c {A} found',
      'O2 c null deleted',
      'O4 c {K} found',
      'O3 c {B} found',
      'O1 u {K} found previous=C1',
    ])

    const store = openStore(freshDir())
    const rebuilt = core(store, BigInt(customersLog.length))
    assert.deepEqual(rebuilt.tableStartOffsets(), new Map([[0, null]]))
    const outputs = [
      ...rebuilt.acceptStream({ partition: 0, inputs: ordersLog }, 0),
      ...rebuilt.tick(60_000),
    ]
    for (let from = 0; from < customersLog.length; from += 3) {
      assert.equal(outputs.length, 0, `released before the replica reached offset ${from}`)
      const inputs = customersLog.slice(from, from + 3)
      const next = BigInt(from + inputs.length)
      outputs.push(
        ...rebuilt.applyTable(
          { partition: 0, inputs, nextOffset: next, endOffset: BigInt(customersLog.length) },
          60_000,
        ),
      )
    }
    assert.deepEqual(
      outputs.map((output) => output.kind === 'record' && output.value),
      expected.map((output) => output.kind === 'record' && output.value),
    )
    await store.close()
  })

  it('S7c: a store ahead of the committed orders gives the crash-free outputs after a restart', async () => {
    const reference = openStore(freshDir())
    const expected = crashFree(reference)
    await reference.close()

    const path = freshDir()
    const before = openStore(path)
    core(before, 0n).applyTable({ partition: 0, inputs: customersLog }, 0)
    await before.close()
    const store = openStore(path)
    const restarted = core(store, BigInt(customersLog.length))
    assert.deepEqual(restarted.tableStartOffsets(), new Map([[0, BigInt(customersLog.length)]]))
    assert.equal(restarted.bootstrapped(), true)
    const resumeAt = 3
    const outputs = restarted.acceptStream({ partition: 0, inputs: ordersLog.slice(resumeAt) }, 0)
    assert.deepEqual(
      outputs.map((output) => output.kind === 'record' && output.value),
      expected.slice(resumeAt).map((output) => output.kind === 'record' && output.value),
    )
    await store.close()
  })

  it('rebuilds from a compacted log where a deleted key kept only its tombstone', async () => {
    const store = openStore(freshDir())
    const compacted = place(
      [customer(1, 'u', 12, 'B'), customerTombstone(2), customer(3, 'c', 25, 'K')],
      2,
    )
    const join = core(store, 5n)
    join.applyTable({ partition: 0, inputs: compacted, nextOffset: 5n, endOffset: 5n }, 0)
    assert.equal(store.latest('[2]'), undefined)
    assert.equal(join.counters().tableTombstonesIgnored, 1)
    const outputs = join.acceptStream(
      { partition: 0, inputs: place([order(7, 'c', 30, 2), order(8, 'c', 31, 1)]) },
      0,
    )
    assert.deepEqual(summaries([...outputs, ...join.tick(1000)]), [
      'O7 c null absent',
      'O8 c {B} found',
    ])
    await store.close()
  })
})
