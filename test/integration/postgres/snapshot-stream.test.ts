// Snapshot then stream at exactly one point, against the real PostgreSQL.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { RowChangeEvent } from '../../../envelope/change-event.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { ConnectorRun, display, rows, summary } from './connector-run.ts'
import { MemorySink } from './memory-sink.ts'
import { PgScope } from './pg-fixture.ts'

describe('postgres connector: snapshot then stream', () => {
  let scope: PgScope
  before(async () => {
    scope = await PgScope.create()
  })
  after(async () => {
    await scope.drop()
  })

  it('snapshots every table with Debezium markers and progress, then streams from the slot', async () => {
    await scope.query(`create table ${scope.table('a')} (id int primary key, v text)`)
    await scope.query(`create table ${scope.table('b')} (id int primary key, v text)`)
    await scope.query(`create table ${scope.table('empty')} (id int primary key)`)
    await scope.query(
      `insert into ${scope.table('a')} select g, 'a' || g from generate_series(1, 5) g`,
    )
    await scope.query(
      `insert into ${scope.table('b')} select g, 'b' || g from generate_series(1, 3) g`,
    )
    const run = new ConnectorRun(scope.name, scope.config({ 'snapshot.fetch.size': '2' }), null)
    try {
      await run.streaming()
      const snapshot = rows(run.sink.events)
      assert.deepEqual(
        snapshot.map(
          (event) =>
            `${event.table.id.table}:${display(event.after?.id)}:${display(event.source.value.snapshot)}`,
        ),
        [
          'a:1:first',
          'a:2:true',
          'a:3:true',
          'a:4:true',
          'a:5:last_in_data_collection',
          'b:1:first_in_data_collection',
          'b:2:true',
          'b:3:last',
        ],
      )
      assert.ok(snapshot.every((event) => event.op === 'r' && event.before === null))
      const last = run.sink.lastPosition
      assert.equal(last?.snapshot_completed, true)
      // Every r event's lsn is the slot's consistent point: the position streaming starts from.
      assert.ok(snapshot.every((event) => event.source.value.lsn === snapshot[0]?.source.value.lsn))
      const progress = run.monitor.progress.filter((entry) => entry.done)
      assert.deepEqual(
        progress.map((entry) => [entry.table.split('.')[1], entry.rowsDone]).sort(),
        [
          ['a', 5],
          ['b', 3],
          ['empty', 0],
        ],
      )
      assert.deepEqual(run.monitor.phases.slice(0, 3), ['starting', 'snapshot', 'streaming'])

      await scope.query(`insert into ${scope.table('a')} values (6, 'a6')`)
      const [created] = (await run.events(9)).slice(8) as RowChangeEvent[]
      assert.equal(created?.op, 'c')
      assert.equal(created.source.value.snapshot, 'false')
      assert.deepEqual(created.after, { id: 6, v: 'a6' })
    } finally {
      await run.stop()
    }
  })

  it('changes made while the snapshot reads appear exactly once, after the r events', async () => {
    const table = scope.table('busy')
    await scope.query(`create table ${table} (id int primary key, v int)`)
    await scope.query(`insert into ${table} select g, 0 from generate_series(1, 3000) g`)
    await scope.admin.query(
      `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1`,
      [scope.slot],
    )
    // The sink holds the first snapshot row, so the snapshot is open while we write.
    const sink = new MemorySink()
    const release = sink.pauseEmits()
    const run = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.fetch.size': '100', 'table.include.list': `${scope.schema}.busy` }),
      null,
      sink,
    )
    try {
      await waitFor('snapshot under way', () =>
        rows(run.sink.events).length > 0 ? true : undefined,
      )
      // Update a row not yet read, delete one, insert new ones: all after the slot's consistent point.
      await scope.query(`update ${table} set v = 1 where id = 2999`)
      await scope.query(`delete from ${table} where id = 3000`)
      await scope.query(`insert into ${table} values (3001, 0), (3002, 0)`)
      assert.equal(rows(run.sink.events).length, 1)
      release()
      await run.streaming()
      const events = await run.events(3000 + 4)
      const ops = summary(events)
      const snapshotIds = rows(events)
        .filter((event) => event.op === 'r')
        .map((event) => event.after?.id)
      assert.equal(snapshotIds.length, 3000)
      assert.equal(new Set(snapshotIds).size, 3000)
      // The snapshot saw the state at the consistent point: before the concurrent writes.
      const row2999 = rows(events).find((event) => event.op === 'r' && event.after?.id === 2999)
      assert.equal(row2999?.after?.v, 0)
      assert.deepEqual(ops.slice(3000), ['u:2999', 'd:3000', 'c:3001', 'c:3002'])
    } finally {
      await run.stop()
    }
  })
})
