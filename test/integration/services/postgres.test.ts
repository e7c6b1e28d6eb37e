// Proves PostgreSQL runs with wal_level=logical: a slot sees a committed change.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { testEnv } from '../../helpers/env.ts'
import { uniqueName } from '../../helpers/names.ts'

describe('services: PostgreSQL', () => {
  const client = new pg.Client(testEnv.postgres)
  before(async () => {
    await client.connect()
  })
  after(async () => {
    await client.end()
  })

  it('runs with wal_level=logical', async () => {
    const { rows } = await client.query<{ wal_level: string }>('show wal_level')
    assert.equal(rows[0]?.wal_level, 'logical')
  })

  it('a logical slot reads a committed row change and can be dropped', async () => {
    const table = uniqueName('smoke')
    const slot = uniqueName('smoke_slot')
    await client.query(`create table ${table} (id int primary key, name text)`)
    try {
      await client.query(`select pg_create_logical_replication_slot($1, 'test_decoding')`, [slot])
      await client.query(`insert into ${table} values (1, 'Ada')`)
      const { rows } = await client.query<{ data: string }>(
        'select data from pg_logical_slot_get_changes($1, null, null)',
        [slot],
      )
      const changes = rows.map((row) => row.data)
      assert.ok(
        changes.some((line) => line.includes(`${table}: INSERT: id[integer]:1 name[text]:'Ada'`)),
        `expected the insert among ${JSON.stringify(changes)}`,
      )
    } finally {
      await client.query(
        'select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1',
        [slot],
      )
      await client.query(`drop table if exists ${table}`)
    }
    const { rows } = await client.query('select 1 from pg_replication_slots where slot_name = $1', [
      slot,
    ])
    assert.equal(rows.length, 0)
  })
})
