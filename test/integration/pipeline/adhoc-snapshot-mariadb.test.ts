// Ad-hoc (blocking) snapshots of a MariaDB connector through the service process and its
// REST API: POST /connectors/{name}/snapshots stops the binlog dump at a transaction
// boundary, reads the named table in one consistent-snapshot transaction as `r` events,
// and streams on from where it stopped; changes made meanwhile follow as ordinary c/u/d
// events. A service killed while the snapshot runs takes it again after the restart.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import mysql from 'mysql2/promise'
import { ServiceFleet } from '../../helpers/service-fleet.ts'
import { testEnv } from '../../helpers/env.ts'
import { uniqueName } from '../../helpers/names.ts'
import { api, isolatedServiceEnv, type ServiceProcess } from '../../helpers/service-process.ts'
import { MysqlScope } from '../mysql/mysql-fixture.ts'
import {
  changesUntil,
  jsonConverters,
  lastSnapshot,
  storedPosition,
  summary,
  waitForStatus,
  waitForStreaming,
} from './adhoc-snapshot-fixture.ts'

const fleet = new ServiceFleet('test-mariadb-adhoc')
const { topics } = fleet
const start = (env: Record<string, string>): Promise<ServiceProcess> => fleet.start(env)
const killServices = (): Promise<void> => fleet.killAll()

after(() => fleet.close())

/** A scope with `orders` (ids 1-3), `customers` (1-2) and an uncaptured `ignored` table. */
async function shop(): Promise<MysqlScope> {
  const scope = await MysqlScope.create()
  for (const table of ['orders', 'customers', 'ignored'])
    await scope.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, note VARCHAR(20))`)
  await scope.query("INSERT INTO orders VALUES (1, 'a'), (2, 'b'), (3, 'c')")
  await scope.query("INSERT INTO customers VALUES (1, 'x'), (2, 'y')")
  await scope.query("INSERT INTO ignored VALUES (1, 'z')")
  return scope
}

function connectorConfig(scope: MysqlScope, prefix: string): Record<string, string> {
  return {
    ...scope.config({
      'topic.prefix': prefix,
      'snapshot.mode': 'no_data',
      'table.exclude.list': `${scope.database}.ignored`,
      ...jsonConverters,
    }),
    name: scope.name,
  }
}

describe('ad-hoc snapshots through the service: MariaDB', () => {
  it('reads exactly the requested table as r events between streamed changes; 400 for uncaptured tables, 409 while stopped', async (t) => {
    const scope = await shop()
    // The service first: a dropped slot or database under a running connector fails it.
    t.after(async () => {
      await killServices()
      await scope.drop()
    })
    const env = isolatedServiceEnv()
    const prefix = uniqueName('adhoc')
    const orders = `${prefix}.${scope.database}.orders`
    const customers = `${prefix}.${scope.database}.customers`
    topics.push(...Object.values(env), orders, customers)
    const { url } = await start(env)
    const name = scope.name
    const table = (relation: string) => `${scope.database}.${relation}`
    const created = await api(url, 'POST', '/connectors', {
      name,
      config: connectorConfig(scope, prefix),
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    await waitForStreaming(url, name)
    await scope.query("INSERT INTO orders VALUES (10, 'before')")
    await changesUntil(orders, (changes) => changes.length >= 1)

    const refused = await api<{ message: string; code: string }>(
      url,
      'POST',
      `/connectors/${name}/snapshots`,
      { 'data-collections': [table('orders'), table('nope'), table('ignored')] },
    )
    assert.equal(refused.status, 400, JSON.stringify(refused.body))
    assert.equal(refused.body.code, 'CDC_API_BAD_REQUEST')
    assert.ok(
      refused.body.message.includes(`"${table('nope')}", "${table('ignored')}" are not tables`),
      refused.body.message,
    )
    assert.ok(
      refused.body.message.includes(`captures ${table('customers')}, ${table('orders')}`),
      refused.body.message,
    )

    const accepted = await api(url, 'POST', `/connectors/${name}/snapshots`, {
      'data-collections': [table('orders')],
      type: 'blocking',
    })
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body))
    // Committed while the snapshot runs or just before it started: either way after the
    // position streaming stopped at, so it follows the r events as a c.
    await scope.query("INSERT INTO orders VALUES (11, 'during')")
    await waitForStreaming(url, name)
    await scope.query("INSERT INTO orders VALUES (12, 'after')")
    await scope.query("INSERT INTO customers VALUES (3, 'after')")

    const changes = await changesUntil(orders, (read) => read.some((c) => c.id === 12))
    const { reads, before, after: following } = lastSnapshot(changes)
    assert.deepEqual(summary(before), ['c:10'])
    assert.deepEqual(
      reads.map((change) => change.id).filter((id) => id !== 11),
      [1, 2, 3, 10],
      `r events ${JSON.stringify(reads)}`,
    )
    assert.deepEqual(summary(following), ['c:11', 'c:12'])
    // The other table was not snapshotted: its topic holds the streamed change only.
    assert.deepEqual(summary(await changesUntil(customers, (read) => read.length >= 1)), ['c:3'])

    const status = await waitForStreaming(url, name)
    const progress = status.snapshot.find((entry) => entry.table === table('orders'))
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
      { 'data-collections': [table('orders')] },
    )
    assert.equal(stopped.status, 409, JSON.stringify(stopped.body))
    assert.equal(stopped.body.code, 'CDC_API_CONFLICT')
    assert.match(stopped.body.message, /STOPPED/)
  })

  it('a service killed while the snapshot runs takes it again after the restart; streaming goes on and nothing is lost', async (t) => {
    const scope = await shop()
    const locker = await mysql.createConnection({
      host: testEnv.mariadb.host,
      port: testEnv.mariadb.port,
      user: testEnv.mariadb.user,
      database: scope.database,
    })
    t.after(async () => {
      await killServices()
      await locker.end().catch(() => undefined)
      await scope.drop()
    })
    const env = isolatedServiceEnv()
    const prefix = uniqueName('adhoc_kill')
    const orders = `${prefix}.${scope.database}.orders`
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
    // Under LOCK TABLES each insert still commits (and is binlogged) at once: this one
    // after the position streaming stopped at.
    await locker.query('LOCK TABLES orders WRITE')
    const accepted = await api(service.url, 'POST', `/connectors/${name}/snapshots`, {
      'data-collections': [`${scope.database}.orders`],
    })
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body))
    await locker.query("INSERT INTO orders VALUES (4, 'locked')")
    await waitForStatus(service.url, name, 'the snapshot phase', (s) => s.phase === 'snapshot')
    const pending = await storedPosition(service.url, name)
    assert.equal(pending.adhoc_snapshot_tables, JSON.stringify([`${scope.database}.orders`]))

    service.kill('SIGKILL')
    await service.exited
    await locker.query('UNLOCK TABLES')
    await scope.query("INSERT INTO orders VALUES (5, 'while down')")
    service = await start(env)
    await waitForStreaming(service.url, name)
    await scope.query("INSERT INTO orders VALUES (6, 'after')")

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
