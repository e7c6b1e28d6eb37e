import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import type { EnrichedRecord } from '../../../enrichment/join-output.ts'
import {
  Harness,
  at,
  customer,
  customerTombstone,
  day,
  nowMs,
  order,
  orderTombstone,
  summaries,
} from './join-harness.ts'

// Golden tests: the scenario table of joins.md §6.4 on the core with an injected clock.
describe('enrichment/join-core scenarios', () => {
  it('S1a: an order that arrives before its customer waits for the idle grace, never null first', () => {
    const h = new Harness()
    assert.deepEqual(h.stream(0, [order(1, 'c', 10, 1)]), [])
    assert.deepEqual(h.table(100, [customer(1, 'c', 5, 'A')]), [])
    assert.deepEqual(h.tick(999), [])
    const [released] = h.tick(1000) as EnrichedRecord[]
    assert.deepEqual(summaries(h.released), ['O1 c {A} found'])
    assert.ok(released !== undefined)
    assert.equal(released.value.tableRef.pos, 'postgres/5.0')
    assert.deepEqual(released.value.tableRef.key, { customer_id: 1n })
  })

  it('S1a′: a later customer event moves the watermark past the order at once', () => {
    const h = new Harness()
    h.stream(0, [order(1, 'c', 10, 1)])
    h.table(100, [customer(1, 'c', 5, 'A')], { lagging: true })
    assert.deepEqual(summaries(h.table(200, [customer(2, 'c', 11, 'B')], { lagging: true })), [
      'O1 c {A} found',
    ])
  })

  it('S1b: a customer created in the order’s own transaction is visible, in either arrival order', () => {
    const first = new Harness()
    first.table(0, [customer(1, 'c', 10, 'A', { lsn: 2 })], { lagging: true })
    assert.deepEqual(first.stream(10, [order(1, 'c', 10, 1, { lsn: 1 })]), [])
    assert.deepEqual(summaries(first.table(20, [customer(2, 'c', 11, 'B')])), ['O1 c {A} found'])

    const second = new Harness()
    second.stream(0, [order(1, 'c', 10, 1, { lsn: 1 })])
    // Still inside the order's transaction: the table may yet deliver more of it.
    assert.deepEqual(
      second.table(10, [customer(1, 'c', 10, 'A', { lsn: 2 })], { lagging: true }),
      [],
    )
    second.table(20, [], {})
    assert.deepEqual(summaries(second.tick(1000)), ['O1 c {A} found'])
  })

  it('S1c: a customer created after the order leaves it absent, and produces nothing itself', () => {
    const h = new Harness()
    h.stream(0, [order(1, 'c', 10, 1)])
    assert.deepEqual(summaries(h.table(100, [customer(1, 'c', 12, 'A')], { lagging: true })), [
      'O1 c null absent',
    ])
    h.table(200, [customer(1, 'u', 13, 'B')])
    h.tick(5000)
    assert.equal(h.released.length, 1)
  })

  it('S1d: a lagging table side releases on max.wait.ms as timeout, unsynced', () => {
    const h = new Harness()
    h.table(0, [], { lagging: true })
    h.stream(0, [order(1, 'c', 10, 1)])
    assert.deepEqual(h.tick(29_999), [])
    assert.deepEqual(summaries(h.tick(30_000)), ['O1 c null timeout unsynced'])
    assert.deepEqual(h.table(30_001, [customer(1, 'c', 5, 'A')]), [])
    assert.equal(h.core.counters().timedOut, 1)
  })

  it('S2: a customer update after the order affects only later order changes', () => {
    const h = new Harness()
    h.table(0, [customer(1, 'c', 5, 'A')], { lagging: true })
    h.stream(1, [order(1, 'c', 10, 1)])
    h.table(2, [customer(1, 'u', 12, 'B')], { lagging: true })
    h.stream(3, [order(1, 'u', 14, 1)])
    h.table(4, [], {})
    h.tick(1003)
    assert.deepEqual(summaries(h.released), ['O1 c {A} found', 'O1 u {B} found'])
  })

  it('S2′: an order processed after a newer customer version sees the version as of its position', () => {
    const h = new Harness()
    h.table(0, [customer(1, 'c', 5, 'A'), customer(1, 'u', 12, 'B')], { lagging: true })
    assert.deepEqual(summaries(h.stream(1, [order(1, 'c', 10, 1)])), ['O1 c {A} found'])
  })

  const s3 = (h: Harness) => {
    h.table(0, [customer(1, 'c', 5, 'A')], { lagging: true })
    h.stream(1, [order(1, 'c', 10, 1)])
    h.table(2, [customer(1, 'd', 20), customerTombstone(1)], { lagging: true })
    h.stream(3, [order(2, 'c', 21, 1), order(1, 'u', 22, 1)])
    h.table(4, [], {})
    h.tick(1003)
  }

  it('S3: a customer delete makes later orders see deleted; its tombstone changes nothing', () => {
    const h = new Harness()
    s3(h)
    assert.deepEqual(summaries(h.released), [
      'O1 c {A} found',
      'O2 c null deleted',
      'O1 u null deleted',
    ])
    assert.equal(h.core.counters().tableTombstonesIgnored, 1)
    assert.equal(
      h.released[1]?.kind === 'record' && h.released[1].value.tableRef.pos,
      'postgres/20.0',
    )
  })

  it('S3′: a late order from before the delete still finds the version valid at its position', () => {
    const h = new Harness()
    s3(h)
    assert.deepEqual(summaries(h.stream(2000, [order(3, 'c', 15, 1)])), ['O3 c {A} found'])
  })

  it('S3″: the inner join drops orders without a row, counting them', () => {
    const h = new Harness({ settings: { joinType: 'inner' } })
    s3(h)
    assert.deepEqual(summaries(h.released), ['O1 c {A} found'])
    assert.equal(h.core.counters().innerDropped, 2)
  })

  const s4 = (after: number, beforeFk?: 'missing') => {
    const h = new Harness()
    h.table(0, [customer(1, 'c', 5, 'A'), customer(2, 'c', 6, 'Z')])
    h.stream(1, [order(1, 'c', 10, 1)])
    h.stream(2, [order(1, 'u', 15, after, beforeFk === undefined ? { beforeFk: 1 } : { beforeFk })])
    h.tick(1002)
    return summaries(h.released)
  }

  it('S4: an order changing its foreign key joins the new customer and names the old one', () => {
    assert.deepEqual(s4(2), ['O1 c {A} found', 'O1 u {Z} found previous=C1'])
  })

  it('S4′: a new foreign key that does not exist is absent, still naming the old one', () => {
    assert.deepEqual(s4(9), ['O1 c {A} found', 'O1 u null absent previous=C1'])
  })

  it('S4″: without the foreign key in before there is no previous key', () => {
    assert.deepEqual(s4(2, 'missing'), ['O1 c {A} found', 'O1 u {Z} found'])
  })

  it('S5: an order delete joins the customer as of the delete, then passes its tombstone', () => {
    const h = new Harness()
    h.table(0, [customer(1, 'c', 5, 'A')])
    h.stream(1, [order(1, 'd', 30, 1), orderTombstone(1)])
    h.tick(1001)
    assert.deepEqual(summaries(h.released), ['O1 d {A} found', 'O1 tombstone'])

    const deleted = new Harness()
    deleted.table(0, [customer(1, 'c', 5, 'A'), customer(1, 'd', 25)])
    deleted.stream(1, [order(1, 'd', 30, 1), orderTombstone(1)])
    deleted.tick(1001)
    assert.deepEqual(summaries(deleted.released), ['O1 d null deleted', 'O1 tombstone'])
  })

  it('S5′: a delete without the foreign key in before is unknown-fk', () => {
    const h = new Harness()
    h.table(0, [customer(1, 'c', 5, 'A')])
    h.stream(1, [order(1, 'd', 30, 1, { beforeFk: 'missing' }), orderTombstone(1)])
    h.tick(1001)
    assert.deepEqual(summaries(h.released), ['O1 d null unknown-fk', 'O1 tombstone'])
    const [first] = h.released as EnrichedRecord[]
    assert.equal(first?.value.tableRef.key, null)
  })

  it('S6b: re-delivered changes give identical outputs; re-delivered customers change nothing', () => {
    const h = new Harness()
    h.table(0, [customer(1, 'c', 5, 'A'), customer(1, 'c', 5, 'A')])
    h.stream(1, [order(1, 'c', 10, 1), order(2, 'u', 11, 1), order(3, 'c', 12, 1)])
    h.stream(2, [order(4, 'c', 13, 1), order(2, 'u', 11, 1)])
    h.tick(1002)
    const outputs = h.released as EnrichedRecord[]
    const [first, second] = outputs.filter((output) => output.offset === 1n || output.offset === 4n)
    assert.ok(first !== undefined && second !== undefined)
    assert.deepEqual({ ...first.value, source: null }, { ...second.value, source: null })
    assert.equal(first.value.eventId, second.value.eventId)
    assert.equal(h.core.counters().tableDuplicates, 1)
  })

  it('S8: snapshot orders join the snapshot customers and keep op r', () => {
    const snapshot = { kind: 'postgres', parts: [500n, 0n], txn: 'x900' }
    const h = new Harness()
    h.table(0, [customer(1, 'r', 0, 'A', { pos: snapshot })], { lagging: true })
    assert.deepEqual(h.stream(1, [order(1, 'r', 0, 1, { pos: snapshot })]), [])
    assert.deepEqual(summaries(h.table(2, [customer(2, 'c', 501, 'B')], { lagging: true })), [
      'O1 r {A} found',
    ])
  })

  it('S9: an idle caught-up table partition counts after the idle grace', () => {
    const h = new Harness({ tablePartitions: 2 })
    h.table(0, [customer(2, 'c', 50, 'B')], { partition: 0, lagging: true })
    h.table(0, [customer(1, 'c', 3, 'A')], { partition: 1 })
    h.stream(0, [order(8, 'c', 40, 1)])
    assert.deepEqual(h.tick(999), [])
    assert.deepEqual(summaries(h.tick(1000)), ['O8 c {A} found'])

    const early = new Harness({ tablePartitions: 2 })
    early.table(0, [customer(2, 'c', 50, 'B')], { partition: 0, lagging: true })
    early.table(0, [customer(1, 'c', 3, 'A')], { partition: 1 })
    early.stream(0, [order(8, 'c', 40, 1)])
    assert.deepEqual(summaries(early.table(10, [customer(3, 'c', 41)], { partition: 1 })), [
      'O8 c {A} found',
    ])
  })

  it('S10: an order primary-key change passes delete, tombstone and create in input order', () => {
    const h = new Harness()
    h.table(0, [customer(1, 'c', 5, 'A')])
    h.stream(1, [
      order(1, 'd', 50, 1, { lsn: 7 }),
      orderTombstone(1),
      order(11, 'c', 50, 1, { lsn: 7 }),
    ])
    h.tick(1001)
    assert.deepEqual(summaries(h.released), ['O1 d {A} found', 'O1 tombstone', 'O11 c {A} found'])
    const [removed, , created] = h.released as EnrichedRecord[]
    assert.notEqual(removed?.value.eventId, created?.value.eventId)
  })

  it('S11: strict mode releases at the transaction END, without the idle-grace wait', () => {
    const h = new Harness({ settings: { transactionTopic: 'srv.transaction' } })
    const t10 = (order: bigint) => ({ transaction: { id: '10', dataCollectionOrder: order } })
    const end = (id: string, customers: bigint) => ({
      status: 'END' as const,
      id,
      counts: new Map([
        ['public.customers', customers],
        ['public.orders', 1n],
      ]),
    })
    h.table(0, [], { lagging: true })
    h.stream(1, [order(1, 'c', 10, 1, { lsn: 1, ...t10(1n) })])
    assert.deepEqual(h.core.acceptTransactions([end('10', 2n)], 2), [])
    // One of the two customers of the transaction is not applied yet.
    assert.deepEqual(
      h.table(3, [customer(1, 'c', 10, 'A', { lsn: 2, ...t10(1n) })], { lagging: true }),
      [],
    )
    assert.deepEqual(
      summaries(h.table(4, [customer(2, 'c', 10, 'B', { lsn: 3, ...t10(2n) })], { lagging: true })),
      ['O1 c {A} found'],
    )

    // An END seen before an earlier transaction is complete waits for it.
    const ordered = new Harness({ settings: { transactionTopic: 'srv.transaction' } })
    ordered.table(0, [], { lagging: true })
    const in11 = { transaction: { id: '11', dataCollectionOrder: 1n } }
    ordered.stream(1, [order(2, 'c', 11, 1, in11)])
    ordered.core.acceptTransactions([end('10', 1n), end('11', 0n)], 2)
    assert.deepEqual(ordered.released, [])
    ordered.table(3, [customer(1, 'c', 10, 'A', t10(1n))], { lagging: true })
    assert.deepEqual(summaries(ordered.released), ['O2 c {A} found'])
  })

  it('S12: beyond retention, pruned history is expired while the kept version stays exact', () => {
    const h = new Harness()
    h.table(0, [
      customer(1, 'c', 10, 'v1', { tsMs: nowMs - 30 * day }),
      customer(1, 'u', 20, 'v2', { tsMs: nowMs - 9 * day }),
      customer(1, 'u', 30, 'v3', { tsMs: nowMs - day }),
    ])
    assert.equal(h.core.prune(BigInt(nowMs - 7 * day)), 1)
    h.stream(1, [
      order(9, 'c', 15, 1, { tsMs: nowMs - 10 * day }),
      order(10, 'c', 25, 1, { tsMs: nowMs - 8 * day }),
    ])
    assert.deepEqual(summaries(h.released), ['O9 c null expired', 'O10 c {v2} found'])
  })
})

describe('enrichment/join-core bookkeeping', () => {
  it('commits the earliest unreleased offset, or the last released + 1 (S7a)', () => {
    const h = new Harness()
    h.table(0, [customer(1, 'c', 5, 'A')], { lagging: true })
    h.stream(1, [order(6, 'c', 4, 1), order(7, 'c', 40, 1), order(8, 'c', 41, 1)])
    assert.deepEqual(h.core.committableOffsets(), new Map([[0, 1n]]))
    assert.deepEqual(h.core.pending(), new Map([[0, 2]]))
    h.table(2, [customer(2, 'c', 45)], { lagging: true })
    assert.deepEqual(h.core.committableOffsets(), new Map([[0, 3n]]))
  })

  it('counts tombstones and ignored records as processed, in FIFO position', () => {
    const h = new Harness()
    h.table(0, [customer(1, 'c', 5, 'A')], { lagging: true })
    const truncate = { ...orderTombstone(0), kind: 'ignored', op: 't' } as const
    h.stream(1, [order(1, 'c', 10, 1), orderTombstone(2), truncate])
    assert.deepEqual(h.core.committableOffsets(), new Map([[0, 0n]]))
    h.table(2, [customer(2, 'c', 11)], { lagging: true })
    assert.deepEqual(summaries(h.released), ['O1 c {A} found', 'O2 tombstone'])
    assert.deepEqual(h.core.committableOffsets(), new Map([[0, 3n]]))
    assert.equal(h.core.counters().ignored, 1)
  })

  it('releases nothing, not even on timeout, before the replica reached the startup end offsets', () => {
    const h = new Harness({ startupEnd: 2n })
    h.stream(0, [order(1, 'c', 10, 1)])
    assert.equal(h.core.bootstrapped(), false)
    assert.deepEqual(h.tick(60_000), [])
    assert.equal(h.core.nextDeadline(), null)
    h.table(60_001, [customer(1, 'c', 5, 'A')])
    assert.deepEqual(h.released, [])
    assert.deepEqual(summaries(h.table(60_002, [customer(2, 'c', 11)])), ['O1 c {A} found'])
  })

  it('names the next deadline: the idle grace first, then max.wait.ms', () => {
    const h = new Harness()
    h.table(0, [], { lagging: true })
    h.stream(100, [order(1, 'c', 10, 1)])
    assert.equal(h.core.nextDeadline(), 1100)
    h.tick(1100)
    assert.equal(h.core.nextDeadline(), 30_100)
  })

  it('forgets dropped stream partitions, whose records are then read again', () => {
    const h = new Harness()
    h.table(0, [], { lagging: true })
    h.stream(0, [order(1, 'c', 10, 1)], 3)
    h.core.dropStreamPartitions([3])
    assert.deepEqual(h.core.committableOffsets(), new Map())
    assert.deepEqual(h.tick(60_000), [])
  })

  it('refuses to compare positions of different databases', () => {
    const h = new Harness()
    h.table(0, [customer(1, 'c', 5, 'A')], { lagging: true })
    const mysql = { kind: 'binlog', parts: [1n, 2n, 0n], txn: null }
    assert.throws(
      () => h.stream(1, [order(1, 'c', 0, 1, { pos: mysql })]),
      (error) => isCdcError(error) && error.code === 'CDC_ENRICH_POSITION_MISMATCH',
    )
  })

  it('refuses table keys that do not fit stream.foreign.key', () => {
    const h = new Harness({ settings: { foreignKey: ['customer_id', 'region'] } })
    assert.throws(
      () => h.table(0, [customer(1, 'c', 5, 'A')]),
      (error) =>
        isCdcError(error) &&
        error.code === 'CDC_ENRICH_KEY_MISMATCH' &&
        /1 field\(s\) \(id\)/.test(error.message),
    )
  })

  it('records a delete for a tombstone whose d event was compacted away', () => {
    const h = new Harness()
    h.table(0, [customer(1, 'c', 5, 'A'), customer(2, 'c', 8, 'B'), customerTombstone(1)], {
      lagging: true,
    })
    assert.equal(h.core.counters().tableTombstonesApplied, 1)
    const deleted = h.store.asOf('[1]', at(9))
    assert.equal(deleted?.row, null)
    assert.equal(deleted.fromTombstone, true)
    assert.deepEqual(deleted.pos, at(8))
    assert.equal(h.store.asOf('[1]', at(7))?.row?.name, 'A')
  })
})
