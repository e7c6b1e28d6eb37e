// Ad-hoc (blocking) snapshots of a Postgres connector through the service process and its
// REST API: POST /connectors/{name}/snapshots stops streaming at a transaction boundary,
// reads the named table as `r` events, and streams on from where it stopped; changes
// made meanwhile follow as ordinary c/u/d events. A service killed while the snapshot
// runs takes it again after the restart.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { ServiceFleet } from '../../helpers/service-fleet.ts'
import { uniqueName } from '../../helpers/names.ts'
import { api, isolatedServiceEnv, type ServiceProcess } from '../../helpers/service-process.ts'
import { adminClient, PgScope } from '../postgres/pg-fixture.ts'
import {
  changesUntil,
  jsonConverters,
  lastSnapshot,
  storedPosition,
  summary,
  waitForStatus,
  waitForStreaming,
} from './adhoc-snapshot-fixture.ts'

const fleet = new ServiceFleet('test-pg-adhoc')
const { topics } = fleet
const start = (env: Record<string, string>): Promise<ServiceProcess> => fleet.start(env)
const killServices = (): Promise<void> => fleet.killAll()

after(() => fleet.close())

/** A scope with `orders` (ids 1-3), `customers` (1-2) and an uncaptured `ignored` table. */
async function shop(): Promise<PgScope> {
  const scope = await PgScope.create()
  for (const table of ['orders', 'customers', 'ignored'])
    await scope.query(`create table ${scope.table(table)} (id int primary key, note text)`)
  await scope.query(`insert into ${scope.table('orders')} values (1, 'a'), (2, 'b'), (3, 'c')`)
  await scope.query(`insert into ${scope.table('customers')} values (1, 'x'), (2, 'y')`)
  await scope.query(`insert into ${scope.table('ignored')} values (1, 'z')`)
  return scope
}

function connectorConfig(scope: PgScope, prefix: string): Record<string, string> {
  return {
    ...scope.config({
      'topic.prefix': prefix,
      'snapshot.mode': 'no_data',
      'table.exclude.list': scope.table('ignored'),
      ...jsonConverters,
    }),
    name: scope.name,
  }
}

describe('ad-hoc snapshots through the service: PostgreSQL', () => {
  it('reads exactly the requested table as r events between streamed changes; 400 for uncaptured tables, 409 while stopped', async (t) => {
    const scope = await shop()
    // The service first: a dropped slot or database under a running connector fails it.
    t.after(async () => {
      await killServices()
      await scope.drop()
    })
    const env = isolatedServiceEnv()
    const prefix = uniqueName('adhoc')
    const orders = `${prefix}.${scope.schema}.orders`
    const customers = `${prefix}.${scope.schema}.customers`
    topics.push(...Object.values(env), orders, customers)
    const { url } = await start(env)
    const name = scope.name
    const created = await api(url, 'POST', '/connectors', {
      name,
      config: connectorConfig(scope, prefix),
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    await waitForStreaming(url, name)
    await scope.query(`insert into ${scope.table('orders')} values (10, 'before')`)
    await changesUntil(orders, (changes) => changes.length >= 1)

    const refused = await api<{ message: string; code: string }>(
      url,
      'POST',
      `/connectors/${name}/snapshots`,
      {
        'data-collections': [scope.table('orders'), scope.table('nope'), scope.table('ignored')],
      },
    )
    assert.equal(refused.status, 400, JSON.stringify(refused.body))
    assert.equal(refused.body.code, 'CDC_API_BAD_REQUEST')
    assert.match(
      refused.body.message,
      new RegExp(`"${scope.table('nope')}", "${scope.table('ignored')}" are not tables`),
    )
    assert.match(
      refused.body.message,
      new RegExp(`captures ${scope.table('customers')}, ${scope.table('orders')}`),
    )

    const accepted = await api(url, 'POST', `/connectors/${name}/snapshots`, {
      'data-collections': [scope.table('orders')],
      type: 'blocking',
    })
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body))
    // Committed while the snapshot runs or just before it started: either way after the
    // position streaming stopped at, so it follows the r events as a c.
    await scope.query(`insert into ${scope.table('orders')} values (11, 'during')`)
    await waitForStreaming(url, name)
    await scope.query(`insert into ${scope.table('orders')} values (12, 'after')`)
    await scope.query(`insert into ${scope.table('customers')} values (3, 'after')`)

    const changes = await changesUntil(orders, (read) => read.some((c) => c.id === 12))
    const { reads, before, after: following } = lastSnapshot(changes)
    assert.deepEqual(summary(before), ['c:10'])
    const readIds = reads.map((change) => change.id)
    assert.deepEqual(
      readIds.filter((id) => id !== 11),
      [1, 2, 3, 10],
      `r events ${JSON.stringify(reads)}`,
    )
    assert.deepEqual(summary(following), ['c:11', 'c:12'])
    // The other table was not snapshotted: its topic holds the streamed change only.
    assert.deepEqual(summary(await changesUntil(customers, (read) => read.length >= 1)), ['c:3'])

    const status = await waitForStreaming(url, name)
    const progress = status.snapshot.find((table) => table.table === scope.table('orders'))
    assert.ok(
      progress?.done === true && progress.rows_done === reads.length,
      JSON.stringify(status),
    )
    assert.equal(status.snapshot.length, 1)
    assert.ok(!('adhoc_snapshot_tables' in (await storedPosition(url, name))))

    assert.equal((await api(url, 'PUT', `/connectors/${name}/stop`)).status, 204)
    await waitForStatus(url, name, 'STOPPED', (s) => s.connector.state === 'STOPPED')
    const stopped = await api<{ message: string; code: string }>(
      url,
      'POST',
      `/connectors/${name}/snapshots`,
      { 'data-collections': [scope.table('orders')] },
    )
    assert.equal(stopped.status, 409, JSON.stringify(stopped.body))
    assert.equal(stopped.body.code, 'CDC_API_CONFLICT')
    assert.match(stopped.body.message, /STOPPED/)
  })

  it('a service killed while the snapshot runs takes it again after the restart; streaming goes on and nothing is lost', async (t) => {
    const scope = await shop()
    const locker = await adminClient()
    t.after(async () => {
      await killServices()
      await locker.end().catch(() => undefined)
      await scope.drop()
    })
    const env = isolatedServiceEnv()
    const prefix = uniqueName('adhoc_kill')
    const orders = `${prefix}.${scope.schema}.orders`
    topics.push(...Object.values(env), orders)
    let service = await start(env)
    const name = scope.name
    const created = await api(service.url, 'POST', '/connectors', {
      name,
      config: connectorConfig(scope, prefix),
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    await waitForStreaming(service.url, name)

    // The snapshot's read of the table waits for this lock, so the kill finds it running.
    await locker.query('begin')
    await locker.query(`lock table ${scope.table('orders')} in access exclusive mode`)
    await locker.query(`insert into ${scope.table('orders')} values (4, 'locked')`)
    const accepted = await api(service.url, 'POST', `/connectors/${name}/snapshots`, {
      'data-collections': [scope.table('orders')],
    })
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body))
    await waitForStatus(service.url, name, 'the snapshot phase', (s) => s.phase === 'snapshot')
    const pending = await storedPosition(service.url, name)
    assert.equal(pending.adhoc_snapshot_tables, JSON.stringify([scope.table('orders')]))

    service.kill('SIGKILL')
    await service.exited
    await locker.query('commit')
    await scope.query(`insert into ${scope.table('orders')} values (5, 'while down')`)
    service = await start(env)
    await waitForStreaming(service.url, name)
    await scope.query(`insert into ${scope.table('orders')} values (6, 'after')`)

    const changes = await changesUntil(orders, (read) => read.some((c) => c.id === 6))
    const { reads, after: following } = lastSnapshot(changes)
    assert.deepEqual(
      reads.map((change) => change.id),
      [1, 2, 3, 4, 5],
    )
    // Streaming resumed from before the snapshot: what was committed since follows it.
    assert.deepEqual(summary(following), ['c:4', 'c:5', 'c:6'])
    assert.ok(!('adhoc_snapshot_tables' in (await storedPosition(service.url, name))))
  })
})
