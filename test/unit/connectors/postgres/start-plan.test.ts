import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PgPosition } from '../../../../connectors/postgres/position.ts'
import { planStart, type SlotState } from '../../../../connectors/postgres/start-plan.ts'

const done: PgPosition = { lsn: 100n, snapshotCompleted: true, txId: 1, tsUsec: 1 }
const halfway: PgPosition = { ...done, snapshotCompleted: false }
const slot = (confirmed: bigint, walStatus = 'reserved'): SlotState => ({
  confirmedFlushLsn: confirmed,
  restartLsn: confirmed,
  walStatus,
  activePid: null,
})

describe('connectors/postgres/start-plan', () => {
  it('initial: snapshots without a completed snapshot, streams from the stored LSN after one', () => {
    assert.deepEqual(planStart('initial', null, null, 's'), {
      kind: 'snapshot',
      recreateSlot: true,
      stream: true,
    })
    assert.deepEqual(planStart('initial', halfway, slot(50n), 's'), {
      kind: 'snapshot',
      recreateSlot: true,
      stream: true,
    })
    assert.deepEqual(planStart('initial', done, slot(90n), 's'), {
      kind: 'stream',
      from: 100n,
      createSlot: false,
    })
  })

  it('always snapshots; initial_only snapshots once without a slot and then is done', () => {
    assert.deepEqual(planStart('always', done, slot(100n), 's'), {
      kind: 'snapshot',
      recreateSlot: true,
      stream: true,
    })
    assert.deepEqual(planStart('initial_only', null, null, 's'), {
      kind: 'snapshot',
      recreateSlot: false,
      stream: false,
    })
    assert.deepEqual(planStart('initial_only', done, null, 's'), { kind: 'done' })
  })

  it('no_data streams from the slot, creating it when missing', () => {
    assert.deepEqual(planStart('no_data', null, null, 's'), {
      kind: 'stream',
      from: 0n,
      createSlot: true,
    })
    assert.deepEqual(planStart('no_data', null, slot(70n), 's'), {
      kind: 'stream',
      from: 70n,
      createSlot: false,
    })
    assert.deepEqual(planStart('no_data', done, slot(100n), 's'), {
      kind: 'stream',
      from: 100n,
      createSlot: false,
    })
  })

  it('refuses to stream past a gap, unless when_needed, which snapshots again', () => {
    for (const state of [null, slot(200n)]) {
      assert.throws(() => planStart('initial', done, state, 's'), {
        code: 'CDC_PG_POSITION_UNAVAILABLE',
      })
      assert.throws(() => planStart('no_data', done, state, 's'), {
        code: 'CDC_PG_POSITION_UNAVAILABLE',
      })
      assert.deepEqual(planStart('when_needed', done, state, 's'), {
        kind: 'snapshot',
        recreateSlot: true,
        stream: true,
      })
    }
    assert.deepEqual(planStart('when_needed', done, slot(100n), 's'), {
      kind: 'stream',
      from: 100n,
      createSlot: false,
    })
  })

  it('reports a lost slot with what to do, or re-snapshots under when_needed', () => {
    assert.throws(
      () => planStart('initial', done, slot(90n, 'lost'), 'my_slot'),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'CDC_PG_SLOT_LOST')
        assert.match(error.message, /pg_drop_replication_slot\('my_slot'\)/)
        assert.match(error.message, /when_needed/)
        return true
      },
    )
    assert.deepEqual(planStart('when_needed', done, slot(90n, 'lost'), 's'), {
      kind: 'snapshot',
      recreateSlot: true,
      stream: true,
    })
    // A fresh connector re-creates the slot for its snapshot anyway.
    assert.deepEqual(planStart('initial', null, slot(90n, 'lost'), 's'), {
      kind: 'snapshot',
      recreateSlot: true,
      stream: true,
    })
  })
})
