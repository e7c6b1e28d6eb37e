import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { MysqlPosition } from '../../../../connectors/mysql/position.ts'
import { planStart, positionUnavailable } from '../../../../connectors/mysql/start-plan.ts'

const completed: MysqlPosition = {
  file: 'b.000002',
  pos: 120,
  gtids: '0-1-5',
  snapshotCompleted: true,
  tsMs: null,
}
const partial: MysqlPosition = { ...completed, snapshotCompleted: false }

describe('connectors/mysql/start-plan', () => {
  it('initial and when_needed: snapshot until one completed, then stream', () => {
    for (const mode of ['initial', 'when_needed'] as const) {
      assert.deepEqual(planStart(mode, null), { kind: 'snapshot', stream: true })
      assert.deepEqual(planStart(mode, partial), { kind: 'snapshot', stream: true })
      assert.deepEqual(planStart(mode, completed), {
        kind: 'stream',
        from: completed,
        resnapshot: mode === 'when_needed',
      })
    }
  })

  it('initial_only: snapshot without streaming, once', () => {
    assert.deepEqual(planStart('initial_only', null), { kind: 'snapshot', stream: false })
    assert.deepEqual(planStart('initial_only', partial), { kind: 'snapshot', stream: false })
    assert.deepEqual(planStart('initial_only', completed), { kind: 'done' })
  })

  it('always, no_data and never', () => {
    assert.deepEqual(planStart('always', completed), { kind: 'snapshot', stream: true })
    assert.deepEqual(planStart('no_data', null), { kind: 'streamFromCurrent' })
    assert.deepEqual(planStart('no_data', partial), {
      kind: 'stream',
      from: partial,
      resnapshot: false,
    })
    assert.deepEqual(planStart('never', null), { kind: 'streamFromOldest' })
    assert.deepEqual(planStart('never', completed), {
      kind: 'stream',
      from: completed,
      resnapshot: false,
    })
  })

  it('says what is gone and what when_needed would do', () => {
    const error = positionUnavailable({ ...completed, gtids: '' }, 'the file was purged')
    assert.equal(error.code, 'CDC_MYSQL_POSITION_UNAVAILABLE')
    assert.match(error.message, /b\.000002:120/)
    assert.match(error.message, /snapshot\.mode=when_needed/)
    assert.match(
      positionUnavailable(completed, 'x').message,
      /GTID position 0-1-5, binlog b\.000002:120/,
    )
  })
})
