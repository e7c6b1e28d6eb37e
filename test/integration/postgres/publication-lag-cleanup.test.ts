// publication.autocreate.mode, plugin.lag and plugin.cleanup.
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { postgresConnectorPlugin as plugin } from '../../../connectors/postgres/postgres-plugin.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { ConnectorRun, summary } from './connector-run.ts'
import { PgScope } from './pg-fixture.ts'

describe('postgres connector: publications, lag and cleanup', () => {
  let scope: PgScope
  before(async () => {
    scope = await PgScope.create()
    await scope.query(`create table ${scope.table('a')} (id int primary key)`)
    await scope.query(`create table ${scope.table('b')} (id int primary key)`)
  })
  beforeEach(async () => {
    await scope.slotReleased()
    await scope.query(
      `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1`,
      [scope.slot],
    )
    await scope.query(`drop publication if exists ${scope.publication}`)
  })
  after(async () => {
    await scope.drop()
  })

  const publication = async () => {
    const { rows } = await scope.query(
      `select p.puballtables::text as all, obj_description(p.oid, 'pg_publication') as comment,
              coalesce((select json_agg(t.tablename order by t.tablename) from pg_publication_tables t where t.pubname = p.pubname and t.schemaname = $2), '[]')::text as tables
         from pg_publication p where p.pubname = $1`,
      [scope.publication, scope.schema],
    )
    const row = rows[0] as { all: string; comment: string | null; tables: string } | undefined
    return row === undefined
      ? null
      : {
          all: row.all === 'true',
          comment: row.comment,
          tables: JSON.parse(row.tables) as string[],
        }
  }

  it('filtered: FOR TABLE the captured tables, extended while streaming when a new table appears', async () => {
    const run = new ConnectorRun(
      scope.name,
      scope.config({
        'table.include.list': `${scope.schema}\\.(a|c)`,
        'heartbeat.interval.ms': '50',
      }),
      null,
    )
    try {
      await run.streaming()
      assert.deepEqual(await publication(), {
        all: false,
        comment: `created by CDC connector ${scope.name}`,
        tables: ['a'],
      })
      await scope.query(`create table ${scope.table('c')} (id int primary key)`)
      await waitFor('c published', async () =>
        (await publication())?.tables.includes('c') === true ? true : undefined,
      )
      await scope.query(`insert into ${scope.table('c')} values (7)`)
      await run.events(1)
      assert.deepEqual(summary(run.sink.events), ['c:7'])
    } finally {
      await run.stop()
      await scope.query(`drop table if exists ${scope.table('c')}`)
    }
  })

  it('all_tables: FOR ALL TABLES; no_tables: an empty publication; disabled: uses the existing one as it is', async () => {
    for (const [mode, expected] of [
      ['all_tables', { all: true, tables: ['a', 'b'] }],
      ['no_tables', { all: false, tables: [] }],
    ] as const) {
      await scope.query(`drop publication if exists ${scope.publication}`)
      await scope.slotReleased()
      await scope.query(
        `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1`,
        [scope.slot],
      )
      const run = new ConnectorRun(
        scope.name,
        scope.config({ 'publication.autocreate.mode': mode }),
        null,
      )
      try {
        await run.streaming()
        const state = await publication()
        assert.deepEqual({ all: state?.all, tables: state?.tables }, expected, mode)
      } finally {
        await run.stop()
      }
    }
    await scope.query(`drop publication ${scope.publication}`)
    await scope.query(`create publication ${scope.publication} for table ${scope.table('b')}`)
    await scope.slotReleased()
    await scope.query(
      `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1`,
      [scope.slot],
    )
    await scope.query(`insert into ${scope.table('a')} values (1)`)
    await scope.query(`insert into ${scope.table('b')} values (2)`)
    const run = new ConnectorRun(
      scope.name,
      scope.config({ 'publication.autocreate.mode': 'disabled' }),
      null,
    )
    try {
      await run.streaming()
      // Only the published table is snapshotted: a would never stream.
      assert.deepEqual(summary(run.sink.events), ['r:2'])
      assert.deepEqual((await publication())?.tables, ['b'])
    } finally {
      await run.stop()
      await scope.query(`delete from ${scope.table('a')}`)
      await scope.query(`delete from ${scope.table('b')}`)
    }
  })

  it('lag reports retained WAL, confirmed-flush lag, wal_status and the stored position', async () => {
    const config = scope.config({ 'table.include.list': `${scope.schema}\\.a` })
    const run = new ConnectorRun(scope.name, config, null)
    await run.streaming()
    await run.stop()
    const position = run.sink.lastPosition
    await scope.query(`insert into ${scope.table('b')} select generate_series(100, 200)`)
    const lag = await plugin.lag?.(config, position)
    assert.equal(lag?.slot_exists, true)
    assert.equal(lag.active, false)
    assert.equal(lag.wal_status, 'reserved')
    assert.equal(lag.position_lsn, position?.lsn)
    assert.ok(typeof lag.retained_wal_bytes === 'number' && lag.retained_wal_bytes > 0)
    assert.ok(
      typeof lag.confirmed_flush_lag_bytes === 'number' && lag.confirmed_flush_lag_bytes > 0,
    )
    assert.ok(
      typeof lag.position_lag_bytes === 'number' &&
        lag.position_lag_bytes >= lag.confirmed_flush_lag_bytes,
    )
    assert.equal(lag.safe_wal_size, null)
    await scope.query(`delete from ${scope.table('b')}`)
  })

  it('cleanup drops the slot and the publication it created only with slot.drop.on.stop', async () => {
    const keep = scope.config()
    const run = new ConnectorRun(scope.name, keep, null)
    await run.streaming()
    await run.stop()
    await scope.slotReleased()
    await plugin.cleanup?.(keep)
    assert.notEqual(await scope.slotRow(), undefined)
    assert.notEqual(await publication(), null)
    await plugin.cleanup?.(scope.config({ 'slot.drop.on.stop': 'true' }))
    assert.equal(await scope.slotRow(), undefined)
    assert.equal(await publication(), null)
  })
})
