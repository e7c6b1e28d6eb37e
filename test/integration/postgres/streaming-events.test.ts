// The events the stream produces for each kind of change.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type {
  LogicalMessageEvent,
  RowChangeEvent,
  TruncateEvent,
} from '../../../envelope/change-event.ts'
import { ConnectorRun, rows } from './connector-run.ts'
import { PgScope } from './pg-fixture.ts'

describe('postgres connector: streamed events', () => {
  let scope: PgScope
  let run: ConnectorRun
  let seen = 0
  /** Waits for the next `count` events of the shared run. */
  const next = async (count: number) => {
    const events = (await run.events(seen + count)).slice(seen, seen + count)
    seen += count
    return events
  }

  before(async () => {
    scope = await PgScope.create()
    await scope.query(
      `create table ${scope.table('dflt')} (id int primary key, v text, n int not null default 0)`,
    )
    await scope.query(
      `create table ${scope.table('full_t')} (id int primary key, v text, n int not null default 0)`,
    )
    await scope.query(`alter table ${scope.table('full_t')} replica identity full`)
    await scope.query(`create table ${scope.table('toast')} (id int primary key, big text, n int)`)
    await scope.query(`alter table ${scope.table('toast')} alter column big set storage external`)
    await scope.query(`create table ${scope.table('evolving')} (id int primary key, a int)`)
    run = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.mode': 'no_data', 'provide.transaction.metadata': 'true' }),
      null,
    )
    await run.streaming()
  })
  after(async () => {
    await run.stop()
    await scope.drop()
  })

  it('REPLICA IDENTITY DEFAULT: no before for updates, key-only before for deletes (other required fields get zero)', async () => {
    await scope.query(`insert into ${scope.table('dflt')} values (1, 'a', 5)`)
    await scope.query(`update ${scope.table('dflt')} set v = 'b' where id = 1`)
    await scope.query(`delete from ${scope.table('dflt')} where id = 1`)
    const [insert, update, deletion] = (await next(3)) as RowChangeEvent[]
    assert.deepEqual(
      [insert?.op, insert?.before, insert?.after],
      ['c', null, { id: 1, v: 'a', n: 5 }],
    )
    assert.deepEqual(
      [update?.op, update?.before, update?.after],
      ['u', null, { id: 1, v: 'b', n: 5 }],
    )
    assert.deepEqual(
      [deletion?.op, deletion?.before, deletion?.after],
      ['d', { id: 1, v: null, n: 0 }, null],
    )
  })

  it('REPLICA IDENTITY FULL: whole before rows for updates and deletes', async () => {
    await scope.query(`insert into ${scope.table('full_t')} values (1, 'a', 5)`)
    await scope.query(`update ${scope.table('full_t')} set v = 'b' where id = 1`)
    await scope.query(`delete from ${scope.table('full_t')} where id = 1`)
    const [, update, deletion] = (await next(3)) as RowChangeEvent[]
    assert.deepEqual(
      [update?.op, update?.before, update?.after],
      ['u', { id: 1, v: 'a', n: 5 }, { id: 1, v: 'b', n: 5 }],
    )
    assert.deepEqual([deletion?.op, deletion?.before], ['d', { id: 1, v: 'b', n: 5 }])
  })

  it('a primary key change becomes a delete of the old key and a create of the new one', async () => {
    await scope.query(`insert into ${scope.table('dflt')} values (2, 'k', 1)`)
    await scope.query(`update ${scope.table('dflt')} set id = 3 where id = 2`)
    const [, deletion, creation] = (await next(3)) as RowChangeEvent[]
    assert.deepEqual([deletion?.op, deletion?.before?.id, deletion?.after], ['d', 2, null])
    assert.deepEqual(
      [creation?.op, creation?.before, creation?.after],
      ['c', null, { id: 3, v: 'k', n: 1 }],
    )
  })

  it("an unchanged TOASTed column carries Debezium's placeholder", async () => {
    await scope.query(`insert into ${scope.table('toast')} values (1, repeat('x', 10000), 1)`)
    await scope.query(`update ${scope.table('toast')} set n = 2 where id = 1`)
    const [, update] = (await next(2)) as RowChangeEvent[]
    assert.deepEqual(update?.after, { id: 1, big: '__debezium_unavailable_value', n: 2 })
  })

  it('carries source and transaction blocks: commit time, txId, LSN, orders within the transaction', async () => {
    await scope.query('begin')
    await scope.query(`insert into ${scope.table('dflt')} values (10, 'a', 1), (11, 'b', 1)`)
    await scope.query(`insert into ${scope.table('full_t')} values (10, 'a', 1)`)
    await scope.query('commit')
    const events = (await next(3)) as RowChangeEvent[]
    const source = events[0]?.source.value
    assert.equal(source?.connector, 'postgresql')
    assert.equal(source.name, 'test')
    assert.equal(source.db, 'cdc_test')
    assert.equal(source.schema, scope.schema)
    assert.equal(source.table, 'dflt')
    assert.equal(typeof source.txId, 'bigint')
    assert.equal(typeof source.lsn, 'bigint')
    assert.equal(
      source.ts_us,
      (source.ts_ms as bigint) * 1000n + ((source.ts_us as bigint) % 1000n),
    )
    const sequence = JSON.parse(source.sequence as string) as [string, string]
    assert.equal(sequence[1], (source.lsn as bigint).toString())
    assert.ok(events.every((event) => event.source.value.txId === source.txId))
    // Debezium's `txId:LSN`, the LSN being the transaction's commit record.
    const id = events[0]?.transaction?.id ?? ''
    assert.match(id, new RegExp(`^${(source.txId as bigint).toString()}:\\d+$`))
    assert.ok(BigInt(id.split(':')[1] ?? '0') >= (source.lsn as bigint))
    assert.deepEqual(
      events.map((event) => [
        event.transaction?.id,
        event.transaction?.totalOrder,
        event.transaction?.dataCollectionOrder,
      ]),
      [
        [id, 1n, 1n],
        [id, 2n, 2n],
        [id, 3n, 1n],
      ],
    )
  })

  it('truncate gives a t event per captured table', async () => {
    await scope.query(`truncate ${scope.table('dflt')}, ${scope.table('full_t')}`)
    const events = (await next(2)) as TruncateEvent[]
    assert.deepEqual(
      events.map((event) => [event.kind, event.op, event.table.id.table]),
      [
        ['truncate', 't', 'dflt'],
        ['truncate', 't', 'full_t'],
      ],
    )
  })

  it('logical decoding messages become m events, transactional or not', async () => {
    await scope.query(`select pg_logical_emit_message(true, 'audit', 'in tx')`)
    await scope.query(`select pg_logical_emit_message(false, 'ping', '\\x0102'::bytea)`)
    const [inTx, plain] = (await next(2)) as LogicalMessageEvent[]
    assert.deepEqual(
      [inTx?.op, inTx?.topic, inTx?.prefix, Buffer.from(inTx?.content ?? []).toString()],
      ['m', 'test.message', 'audit', 'in tx'],
    )
    assert.equal(typeof inTx?.source.value.txId, 'bigint')
    assert.deepEqual(
      [plain?.prefix, [...(plain?.content ?? [])], plain?.source.value.txId],
      ['ping', [1, 2], null],
    )
    assert.deepEqual([plain?.source.value.schema, plain?.source.value.table], ['', ''])
  })

  it('a table changed mid-stream gets a new schema: added, retyped and dropped columns', async () => {
    const table = scope.table('evolving')
    // One change at a time: the catalog is read when each Relation message arrives.
    await scope.query(`insert into ${table} values (1, 1)`)
    const [first] = rows(await next(1))
    await scope.query(`alter table ${table} add column b text not null default 'x'`)
    await scope.query(`insert into ${table} values (2, 2, 'y')`)
    const [second] = rows(await next(1))
    await scope.query(`alter table ${table} alter column a type bigint`)
    await scope.query(`alter table ${table} drop column b`)
    await scope.query(`insert into ${table} values (3, 3)`)
    const [third] = rows(await next(1))
    const columns = (event: RowChangeEvent | undefined) =>
      event?.table.columns.map(
        (column) => `${column.name}:${column.schema.type}:${column.schema.optional}`,
      )
    assert.deepEqual(columns(first), ['id:int32:false', 'a:int32:true'])
    assert.deepEqual(columns(second), ['id:int32:false', 'a:int32:true', 'b:string:false'])
    assert.deepEqual(second?.after, { id: 2, a: 2, b: 'y' })
    assert.deepEqual(columns(third), ['id:int32:false', 'a:int64:true'])
    assert.deepEqual(third?.after, { id: 3, a: 3n })
  })
})
