// Each snapshot.mode, and restarts from stored positions.
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { CdcError } from '../../../common/errors.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { ConnectorRun, summary } from './connector-run.ts'
import { PgScope } from './pg-fixture.ts'

describe('postgres connector: snapshot modes and restarts', () => {
  let scope: PgScope
  let table: string
  before(async () => {
    scope = await PgScope.create()
    table = scope.table('t')
    await scope.query(`create table ${table} (id int primary key, v text)`)
  })
  beforeEach(async () => {
    await scope.slotReleased()
    await scope.query(
      `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1`,
      [scope.slot],
    )
    await scope.query(`truncate ${table}`)
    await scope.query(`insert into ${table} values (1, 'one'), (2, 'two')`)
  })
  after(async () => {
    await scope.drop()
  })

  it('initial: a restart from the committed position neither loses nor repeats changes', async () => {
    const first = new ConnectorRun(scope.name, scope.config(), null)
    await first.streaming()
    await scope.query(`insert into ${table} values (3, 'three')`)
    await first.events(3)
    await first.stop()
    assert.deepEqual(summary(first.sink.events), ['r:1', 'r:2', 'c:3'])
    const position = first.sink.lastPosition
    assert.equal(position?.snapshot_completed, true)

    // Written while the connector is down.
    await scope.query(`insert into ${table} values (4, 'four')`)
    await scope.query(`update ${table} set v = 'uno' where id = 1`)
    await scope.slotReleased()
    const second = new ConnectorRun(scope.name, scope.config(), position)
    try {
      await second.events(2)
      await scope.query(`delete from ${table} where id = 2`)
      await second.events(3)
      assert.deepEqual(summary(second.sink.events), ['c:4', 'u:1', 'd:2'])
    } finally {
      await second.stop()
    }
  })

  it('initial: a transaction whose commit the sink never confirmed stays in the slot and is replayed', async () => {
    const first = new ConnectorRun(scope.name, scope.config(), null)
    await first.streaming()
    const afterSnapshot = first.sink.lastPosition
    const confirmedAtSnapshot = (await scope.slotRow())?.confirmed_flush_lsn
    first.sink.holdCommits = true
    await scope.query(`insert into ${table} values (3, 'three')`)
    await scope.query(`insert into ${table} values (4, 'four')`)
    await first.events(4)
    await waitFor('commits waiting in the sink', () =>
      first.sink.pendingCommits === 2 ? true : undefined,
    )
    // Kafka has not acknowledged: the slot must not have moved.
    assert.equal((await scope.slotRow())?.confirmed_flush_lsn, confirmedAtSnapshot)
    first.sink.failCommits(
      new CdcError('CDC_KAFKA_PRODUCE_FAILED', 'broker gone', { retriable: true }),
    )
    const failure = (await first.outcome) as CdcError
    assert.equal(failure.code, 'CDC_KAFKA_PRODUCE_FAILED')
    assert.equal((await scope.slotRow())?.confirmed_flush_lsn, confirmedAtSnapshot)

    await scope.slotReleased()
    const second = new ConnectorRun(scope.name, scope.config(), afterSnapshot)
    try {
      await second.events(2)
      assert.deepEqual(summary(second.sink.events), ['c:3', 'c:4'])
    } finally {
      await second.stop()
    }
  })

  it('always: snapshots again on every start', async () => {
    const first = new ConnectorRun(scope.name, scope.config({ 'snapshot.mode': 'always' }), null)
    await first.streaming()
    await first.stop()
    await scope.query(`insert into ${table} values (3, 'three')`)
    await scope.slotReleased()
    const second = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.mode': 'always' }),
      first.sink.lastPosition,
    )
    try {
      await second.streaming()
      assert.deepEqual(summary(second.sink.events), ['r:1', 'r:2', 'r:3'])
    } finally {
      await second.stop()
    }
  })

  it('initial_only: snapshots, stops by itself, leaves no slot, and does nothing once done', async () => {
    const first = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.mode': 'initial_only' }),
      null,
    )
    await first.done
    assert.deepEqual(summary(first.sink.events), ['r:1', 'r:2'])
    assert.equal(first.sink.lastPosition?.snapshot_completed, true)
    assert.equal(await scope.slotRow(), undefined)
    const second = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.mode': 'initial_only' }),
      first.sink.lastPosition,
    )
    await second.done
    assert.equal(second.sink.events.length, 0)
  })

  it('no_data and its alias never: stream only, from the slot', async () => {
    for (const mode of ['no_data', 'never']) {
      await scope.slotReleased()
      await scope.query(
        `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1`,
        [scope.slot],
      )
      const run = new ConnectorRun(scope.name, scope.config({ 'snapshot.mode': mode }), null)
      try {
        await run.streaming()
        await scope.query(`update ${table} set v = $1 where id = 1`, [mode])
        await run.events(1)
        assert.deepEqual(summary(run.sink.events), ['u:1'], mode)
      } finally {
        await run.stop()
      }
    }
  })

  it('when_needed: snapshots again when the slot no longer has the stored position; initial refuses', async () => {
    const first = new ConnectorRun(scope.name, scope.config(), null)
    await first.streaming()
    await first.stop()
    const position = first.sink.lastPosition
    await scope.slotReleased()
    await scope.query(`select pg_drop_replication_slot($1)`, [scope.slot])

    const refused = new ConnectorRun(scope.name, scope.config(), position)
    const error = (await refused.outcome) as { code?: string; message: string }
    assert.equal(error.code, 'CDC_PG_POSITION_UNAVAILABLE')
    assert.match(error.message, /when_needed/)

    const again = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.mode': 'when_needed' }),
      position,
    )
    try {
      await again.streaming()
      assert.deepEqual(summary(again.sink.events), ['r:1', 'r:2'])
    } finally {
      await again.stop()
    }
  })

  it('a snapshot stopped halfway is never claimed as done and is taken again in full', async () => {
    await scope.query(`insert into ${table} select g, 'x' from generate_series(3, 50) g`)
    const first = new ConnectorRun(scope.name, scope.config({ 'snapshot.fetch.size': '10' }), null)
    const release = first.sink.pauseEmits()
    await first.events(1)
    const stopping = first.stop()
    release()
    await stopping
    const position = first.sink.lastPosition
    assert.ok(first.sink.events.length < 50)
    assert.equal(position?.snapshot_completed, false)
    await scope.slotReleased()
    const second = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.fetch.size': '10' }),
      position,
    )
    try {
      await second.streaming()
      assert.equal(summary(second.sink.events).filter((entry) => entry.startsWith('r:')).length, 50)
      assert.equal(second.sink.lastPosition?.snapshot_completed, true)
    } finally {
      await second.stop()
    }
  })
})
