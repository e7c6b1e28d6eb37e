import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { TransactionTracker } from '../../../enrichment/transaction-tracker.ts'
import { customer } from './join-harness.ts'

const change = (id: string, order: bigint, collection = 'public.customers') => ({
  ...customer(1, 'u', 1, 'A', { transaction: { id, dataCollectionOrder: order } }),
  dataCollection: collection,
  partition: 0,
  offset: 0n,
})
const end = (id: string, counts: [string, bigint][]) => ({
  status: 'END' as const,
  id,
  counts: new Map(counts),
})

describe('enrichment/transaction-tracker', () => {
  it('completes a transaction once END is read and all its table changes are applied, re-deliveries counted once', () => {
    const tracker = new TransactionTracker('public.customers')
    tracker.noteMarker(end('7', [['public.customers', 2n]]))
    tracker.noteTableChange(change('7', 1n))
    tracker.noteTableChange(change('7', 1n))
    tracker.advance()
    assert.equal(tracker.isComplete('7'), false)
    tracker.noteTableChange(change('7', 2n))
    tracker.advance()
    assert.equal(tracker.isComplete('7'), true)
  })

  it('completes transactions only in commit order', () => {
    const tracker = new TransactionTracker('public.customers')
    tracker.noteMarker(end('1', [['public.customers', 1n]]))
    tracker.noteMarker(end('2', [['public.orders', 3n]]))
    tracker.advance()
    assert.equal(tracker.isComplete('2'), false)
    tracker.noteTableChange(change('1', 1n))
    tracker.advance()
    assert.equal(tracker.isComplete('1'), true)
    assert.equal(tracker.isComplete('2'), true)
  })

  it('learns the table’s data collection from its changes', () => {
    const tracker = new TransactionTracker(null)
    tracker.noteMarker(end('1', [['inventory.customers', 1n]]))
    tracker.advance()
    assert.equal(tracker.isComplete('1'), false)
    tracker.noteTableChange(change('1', 1n, 'inventory.customers'))
    tracker.advance()
    assert.equal(tracker.isComplete('1'), true)
    assert.equal(tracker.overflowed(), false)
  })
})
