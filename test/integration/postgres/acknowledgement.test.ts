// What the connector confirms to the slot, and when.
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import pg from 'pg'
import { CdcError } from '../../../common/errors.ts'
import { parseLsn } from '../../../connectors/postgres/lsn.ts'
import { testEnv } from '../../helpers/env.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { ConnectorRun, summary } from './connector-run.ts'
import { PgScope } from './pg-fixture.ts'

describe('postgres connector: acknowledgement', () => {
  let scope: PgScope
  let table: string
  before(async () => {
    scope = await PgScope.create()
    table = scope.table('t')
    await scope.query(`create table ${table} (id int primary key, v text)`)
    await scope.query(`create table ${scope.table('noise')} (id serial primary key, v text)`)
    await scope.query(`create table ${scope.table('hb')} (id int primary key, at timestamptz)`)
  })
  beforeEach(async () => {
    await scope.slotReleased()
    await scope.query(
      `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1`,
      [scope.slot],
    )
  })
  after(async () => {
    await scope.drop()
  })

  const onlyT = () => ({ 'table.include.list': `${scope.schema}\\.t` })
  const confirmed = async () => parseLsn((await scope.slotRow())?.confirmed_flush_lsn ?? '0/0')

  it('confirms exactly the commit end LSN, and only once the sink committed it', async () => {
    const run = new ConnectorRun(
      scope.name,
      scope.config({ ...onlyT(), 'snapshot.mode': 'no_data' }),
      null,
    )
    try {
      await run.streaming()
      const start = await confirmed()
      run.sink.holdCommits = true
      await scope.query(`insert into ${table} values (1, 'held')`)
      await run.events(1)
      await waitFor('commit waiting', () => (run.sink.pendingCommits === 1 ? true : undefined))
      assert.equal(await confirmed(), start)
      run.sink.releaseCommits()
      const position = await waitFor('commit stored', () => run.sink.lastPosition ?? undefined)
      await waitFor('slot confirmed', async () => ((await confirmed()) > start ? true : undefined))
      // Exactly the committed LSN: not one byte past it.
      assert.equal(await confirmed(), parseLsn(String(position.lsn)))
    } finally {
      await run.stop()
    }
  })

  it('a transaction committing right after a confirmed one is still delivered after a restart', async () => {
    // B starts first and commits after A, so B's commit record begins exactly where A's ends:
    // confirming A's end + 1 (as pg-logical-replication's acknowledge does) would skip B.
    const other = new pg.Client(testEnv.postgres)
    await other.connect()
    const first = new ConnectorRun(
      scope.name,
      scope.config({ ...onlyT(), 'snapshot.mode': 'no_data' }),
      null,
    )
    try {
      await first.streaming()
      await other.query('begin')
      await other.query(`insert into ${table} values (20, 'B')`)
      await scope.query(`insert into ${table} values (10, 'A')`)
      await first.events(1)
      await waitFor('A confirmed', async () =>
        (await confirmed()) === parseLsn(String(first.sink.lastPosition?.lsn)) ? true : undefined,
      )
      // Stop the first run before B commits, as a crash would, with only A confirmed.
      await first.stop()
      await other.query('commit')
    } finally {
      await other.end()
    }
    assert.deepEqual(summary(first.sink.events), ['c:10'])
    await scope.slotReleased()
    const second = new ConnectorRun(
      scope.name,
      scope.config({ ...onlyT(), 'snapshot.mode': 'no_data' }),
      first.sink.lastPosition,
    )
    try {
      await second.events(1)
      assert.deepEqual(summary(second.sink.events), ['c:20'])
    } finally {
      await second.stop()
    }
  })

  it('heartbeats move the slot over WAL of tables it does not capture, committing first', async () => {
    const run = new ConnectorRun(
      scope.name,
      scope.config({ ...onlyT(), 'snapshot.mode': 'no_data', 'heartbeat.interval.ms': '100' }),
      null,
    )
    try {
      await run.streaming()
      const start = await confirmed()
      await scope.query(
        `insert into ${scope.table('noise')} (v) select 'x' from generate_series(1, 100)`,
      )
      const { rows } = await scope.query('select pg_current_wal_lsn()::text as lsn')
      const walAfterNoise = parseLsn((rows[0] as { lsn: string }).lsn)
      await waitFor('slot moved past the noise', async () =>
        (await confirmed()) >= walAfterNoise ? true : undefined,
      )
      assert.ok((await confirmed()) > start)
      assert.equal(run.sink.events.length, 0)
      // The sink stored the position before the slot was told.
      assert.ok(parseLsn(String(run.sink.lastPosition?.lsn)) >= (await confirmed()))
    } finally {
      await run.stop()
    }
  })

  it('runs heartbeat.action.query on each heartbeat', async () => {
    const query = `insert into ${scope.table('hb')} values (1, now()) on conflict (id) do update set at = excluded.at`
    const run = new ConnectorRun(
      scope.name,
      scope.config({
        'table.include.list': `${scope.schema}\\.hb`,
        'snapshot.mode': 'no_data',
        'heartbeat.interval.ms': '50',
        'heartbeat.action.query': query,
      }),
      null,
    )
    try {
      await run.streaming()
      await run.events(2)
      assert.deepEqual(summary(run.sink.events).slice(0, 2), ['c:1', 'u:1'])
    } finally {
      await run.stop()
    }
  })

  it('streams a large transaction through a slow sink and confirms it only at its end', async () => {
    const run = new ConnectorRun(
      scope.name,
      scope.config({ ...onlyT(), 'snapshot.mode': 'no_data' }),
      null,
    )
    try {
      await run.streaming()
      const release = run.sink.pauseEmits()
      await scope.query(
        `insert into ${table} select g, repeat('v', 100) from generate_series(1000, 20999) g`,
      )
      await run.events(1)
      // Backpressure: emit is pending, so nothing else is handed over and nothing is committed.
      assert.equal(run.sink.events.length, 1)
      assert.equal(run.sink.commits.length, 0)
      release()
      await run.events(20000, 60_000)
      await waitFor('one commit for the transaction', () =>
        run.sink.commits.length === 1 ? true : undefined,
      )
      assert.equal(run.sink.committedEvents, 20000)
    } finally {
      await run.stop()
    }
  })

  it("fails with the sink's error when an event cannot be delivered, confirming nothing of it", async () => {
    const run = new ConnectorRun(
      scope.name,
      scope.config({ ...onlyT(), 'snapshot.mode': 'no_data' }),
      null,
    )
    await run.streaming()
    const start = await confirmed()
    run.sink.failEmitWith = new CdcError(
      'CDC_REG_INCOMPATIBLE_SCHEMA',
      'subject test.t-value rejects the schema',
    )
    await scope.query(`insert into ${table} values (99, 'rejected')`)
    const error = (await run.outcome) as CdcError
    assert.equal(error.code, 'CDC_REG_INCOMPATIBLE_SCHEMA')
    assert.equal(await confirmed(), start)
  })
})
