import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { decodePosition } from '../../../connectors/mysql/position.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { ConnectorRun, rows, summary } from './connector-run.ts'
import { MysqlScope } from './mysql-fixture.ts'

describe('MySQL/MariaDB connector: snapshot, then stream from exactly its point', () => {
  let scope: MysqlScope

  beforeEach(async () => {
    scope = await MysqlScope.create()
  })

  afterEach(async () => {
    await scope.drop()
  })

  it('emits rows written during the snapshot exactly once, after the snapshot', async () => {
    await scope.query('CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)')
    await scope.query('INSERT INTO t (id, v) SELECT seq, 0 FROM seq_1_to_500')
    const run = new ConnectorRun(scope.name, scope.config({ 'snapshot.fetch.size': '100' }), null)
    try {
      // The sink holds the first snapshot row: the snapshot transaction is open meanwhile.
      const release = run.sink.pauseEmits()
      await run.events(1)
      await scope.query('INSERT INTO t VALUES (501, 1), (502, 1)')
      await scope.query('UPDATE t SET v = 2 WHERE id IN (1, 500)')
      await scope.query('DELETE FROM t WHERE id = 250')
      release()
      await run.events(500 + 2 + 2 + 1)
      await waitFor('the last commit', () =>
        run.sink.committedEvents === run.sink.events.length ? true : undefined,
      )
    } finally {
      await run.stop()
    }
    const events = rows(run.sink.events)
    const reads = events.filter((event) => event.op === 'r')
    assert.equal(reads.length, 500)
    assert.ok(
      reads.every((event) => event.after?.v === 0),
      'the snapshot saw no later write',
    )
    assert.deepEqual(summary(events.filter((event) => event.op !== 'r')), [
      'c:501',
      'c:502',
      'u:1',
      'u:500',
      'd:250',
    ])
    assert.equal(reads[0]?.source.value.snapshot, 'first')
    assert.equal(reads.at(-1)?.source.value.snapshot, 'last')
    assert.equal(reads[1]?.source.value.snapshot, 'true')
    // Positions committed during the snapshot say it is incomplete; the first after it, complete.
    const completed = run.sink.commits.map((position) => decodePosition(position).snapshotCompleted)
    assert.ok(completed.indexOf(true) > 0, 'intermediate snapshot commits come first')
    assert.ok(completed.slice(completed.indexOf(true)).every(Boolean))
    const progress = run.monitor.progress.filter((entry) => entry.done)
    assert.deepEqual(
      progress.map((entry) => [entry.rowsDone, entry.done]),
      [[500, true]],
    )
    assert.ok(run.monitor.phases.indexOf('snapshot') < run.monitor.phases.indexOf('streaming'))
  })

  it('restarts an interrupted snapshot from the start', async () => {
    await scope.query('CREATE TABLE t (id INT PRIMARY KEY)')
    await scope.query('INSERT INTO t SELECT seq FROM seq_1_to_300')
    const first = new ConnectorRun(scope.name, scope.config({ 'snapshot.fetch.size': '50' }), null)
    const release = first.sink.pauseEmits(120)
    await first.events(121)
    const stopped = first.stop()
    release()
    await stopped
    assert.ok(first.sink.events.length < 300, 'the first run stopped inside the snapshot')
    const stored = first.sink.lastPosition
    assert.notEqual(stored, null)
    assert.equal(decodePosition(stored ?? {}).snapshotCompleted, false)
    const second = new ConnectorRun(scope.name, scope.config(), stored)
    try {
      await second.events(300)
      await second.streaming()
    } finally {
      await second.stop()
    }
    const reads = rows(second.sink.events).filter((event) => event.op === 'r')
    assert.equal(reads.length, 300)
    assert.equal(reads[0]?.after?.id, 1)
  })
})
