// Setup problems a user can cause, each with its own code and a message saying what to run.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { uniqueName } from '../../helpers/names.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { ConnectorRun } from './connector-run.ts'
import { PgScope } from './pg-fixture.ts'

interface Failure {
  code?: string
  message: string
  retriable?: boolean
}

async function failure(run: ConnectorRun): Promise<Failure> {
  const outcome = await run.outcome
  assert.ok(outcome instanceof Error, 'the run should have failed')
  return outcome
}

describe('postgres connector: setup checks', () => {
  let scope: PgScope
  const role = uniqueName('cdc_role')
  before(async () => {
    scope = await PgScope.create()
    await scope.query(`create table ${scope.table('t')} (id int primary key)`)
    await scope.query(`create role ${role} login`)
    await scope.query(`grant usage on schema ${scope.schema} to ${role}`)
  })
  after(async () => {
    try {
      await scope.query(`drop owned by ${role}`)
      await scope.query(`drop role if exists ${role}`)
    } finally {
      await scope.drop()
    }
  })

  it('a role without REPLICATION: CDC_PG_PRIVILEGE with the ALTER ROLE to run', async () => {
    const run = new ConnectorRun(scope.name, scope.config({ 'database.user': role }), null)
    const error = await failure(run)
    assert.equal(error.code, 'CDC_PG_PRIVILEGE')
    assert.equal(error.retriable, false)
    assert.match(error.message, new RegExp(`ALTER ROLE "${role}" REPLICATION`))
  })

  it('a role without SELECT on a captured table: CDC_PG_PRIVILEGE with the GRANT to run', async () => {
    await scope.query(`alter role ${role} replication`)
    await scope.query(`create publication ${scope.publication} for table ${scope.table('t')}`)
    try {
      const run = new ConnectorRun(
        scope.name,
        scope.config({ 'database.user': role, 'publication.autocreate.mode': 'disabled' }),
        null,
      )
      const error = await failure(run)
      assert.equal(error.code, 'CDC_PG_PRIVILEGE')
      assert.match(
        error.message,
        new RegExp(`GRANT SELECT ON "${scope.schema}"\\."t" TO "${role}"`),
      )
    } finally {
      await scope.query(`drop publication ${scope.publication}`)
      await scope.query(`alter role ${role} noreplication`)
    }
  })

  it('a missing publication with autocreate disabled: CDC_PG_PUBLICATION', async () => {
    const run = new ConnectorRun(
      scope.name,
      scope.config({ 'publication.autocreate.mode': 'disabled' }),
      null,
    )
    const error = await failure(run)
    assert.equal(error.code, 'CDC_PG_PUBLICATION')
    assert.match(error.message, /CREATE PUBLICATION/)
  })

  it('a table without primary key under REPLICA IDENTITY DEFAULT: CDC_PG_REPLICA_IDENTITY saying what to run', async () => {
    await scope.query(`create table ${scope.table('nokey')} (v text)`)
    try {
      const run = new ConnectorRun(scope.name, scope.config(), null)
      const error = await failure(run)
      assert.equal(error.code, 'CDC_PG_REPLICA_IDENTITY')
      assert.match(
        error.message,
        new RegExp(`ALTER TABLE "${scope.schema}"\\."nokey" REPLICA IDENTITY FULL`),
      )
      // Fixing it as told lets the connector start.
      await scope.query(`alter table ${scope.table('nokey')} replica identity full`)
      const fixed = new ConnectorRun(scope.name, scope.config(), null)
      await fixed.streaming()
      await fixed.stop()
    } finally {
      await scope.query(`drop table ${scope.table('nokey')}`)
    }
  })

  it('a slot held by another process: retriable CDC_PG_SLOT_IN_USE naming the process', async () => {
    await scope.slotReleased()
    const holder = new ConnectorRun(scope.name, scope.config({ 'snapshot.mode': 'no_data' }), null)
    try {
      await holder.streaming()
      // The phase is reported just before START_REPLICATION: wait for the walsender.
      const row = await waitFor('the holder to stream from the slot', async () => {
        const slot = await scope.slotRow()
        return slot?.active_pid == null ? undefined : slot
      })
      const second = new ConnectorRun(
        `${scope.name}_2`,
        scope.config({ 'snapshot.mode': 'no_data' }),
        null,
      )
      const error = await failure(second)
      assert.equal(error.code, 'CDC_PG_SLOT_IN_USE')
      assert.equal(error.retriable, true)
      assert.match(error.message, new RegExp(`pg_terminate_backend\\(${String(row.active_pid)}\\)`))
    } finally {
      await holder.stop()
    }
  })

  it('a slot of another plugin under the configured name: CDC_CONFIG_INVALID', async () => {
    await scope.slotReleased()
    await scope.query(
      `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1`,
      [scope.slot],
    )
    await scope.query(`select pg_create_logical_replication_slot($1, 'test_decoding')`, [
      scope.slot,
    ])
    const run = new ConnectorRun(scope.name, scope.config(), null)
    const error = await failure(run)
    assert.equal(error.code, 'CDC_CONFIG_INVALID')
    assert.match(error.message, /test_decoding/)
    await scope.query('select pg_drop_replication_slot($1)', [scope.slot])
  })

  it('a role the server does not know: non-retriable CDC_PG_AUTH', async () => {
    const run = new ConnectorRun(
      scope.name,
      scope.config({ 'database.user': uniqueName('nobody') }),
      null,
    )
    const error = await failure(run)
    assert.equal(error.code, 'CDC_PG_AUTH')
    assert.equal(error.retriable, false)
  })
})
