// The MariaDB pipeline as users run it (issue #6): `bin/cdc.ts` in a child process, a
// MariaDB connector registered over REST, killed with SIGKILL ten times at random points
// during a 50k-change workload and started again each time. Afterwards every committed
// change is in Kafka, in commit order, and the topic's last word on each key is the
// table's final row.
//
// The connector runs in its default, at-least-once mode. It stores a position only after
// Kafka acknowledged every record before it, and positions are transaction boundaries;
// after a SIGKILL it resumes from the last stored one. So the records of transactions
// after that position that reached Kafka before the kill are written again: the topic is
// the commit order with, after each kill, a repeated suffix that starts at a transaction
// boundary. checkAtLeastOnce tolerates exactly that and nothing else: no change missing,
// none out of order, none that was never committed, no repeat starting mid-transaction,
// and at most one repeat per restart.
import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { after, describe, it } from 'node:test'
import { checkAtLeastOnce } from '../../helpers/at-least-once.ts'
import {
  waitForMariadbPosition,
  waitForStatus,
  waitForStreaming,
} from '../../helpers/connector-status.ts'
import { ServiceFleet } from '../../helpers/service-fleet.ts'
import { jsonPayload, readAll, type ReadRecord } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
import { api, isolatedServiceEnv, type ServiceProcess } from '../../helpers/service-process.ts'
import { MysqlScope } from '../mysql/mysql-fixture.ts'

const fleet = new ServiceFleet('test-mariadb-pipeline')
const { topics } = fleet
const start = (env: Record<string, string>): Promise<ServiceProcess> => fleet.start(env)

after(() => fleet.close())

/** Plain JSON keys and values, to read the records back without a registry. */
const jsonConverters = {
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'key.converter.schemas.enable': 'false',
  'value.converter.schemas.enable': 'false',
}

/**
 * `id:version:op` of each change record in topic order, and the last word on each key
 * (its version, or null after a delete's tombstone).
 */
function readChanges(records: readonly ReadRecord[]): {
  seen: string[]
  last: Map<number, number | null>
} {
  const seen: string[] = []
  const last = new Map<number, number | null>()
  for (const record of records) {
    const key = JSON.parse(String(record.key)) as { id: number }
    const value = jsonPayload(record.value)
    if (value === null) {
      last.set(key.id, null)
      continue
    }
    const op = value.op as string
    const row = (op === 'd' ? value.before : value.after) as { id: number; version: number }
    assert.equal(row.id, key.id)
    seen.push(`${row.id}:${row.version}:${op}`)
    last.set(key.id, op === 'd' ? null : row.version)
  }
  return { seen, last }
}

describe('MariaDB -> service -> Kafka', () => {
  it('killed with SIGKILL 10 times during a 50k-change workload, loses nothing and keeps commit order', async (t) => {
    const scope = await MysqlScope.create()
    t.after(() => scope.drop())
    // A killed instance holds its group membership until its session times out, which
    // delays the next start; 6 s is the broker's minimum.
    const env = { ...isolatedServiceEnv(), CDC_SESSION_TIMEOUT_MS: '6000' }
    const prefix = uniqueName('kill')
    const topic = `${prefix}.${scope.database}.items`
    topics.push(...Object.values(env), topic)
    await scope.query('CREATE TABLE items (id INT PRIMARY KEY, version INT NOT NULL)')
    let service = await start(env)
    const name = scope.name
    const config = scope.config({ 'topic.prefix': prefix, ...jsonConverters })
    assert.equal((await api(service.url, 'POST', '/connectors', { name, config })).status, 201)
    await waitForStreaming(service.url, name)

    // 1000 transactions of 50 changes over 500 keys. Each change gives its key a new
    // version, so every committed change is identified by key:version:op; one writer
    // connection commits them, so the order they are listed in is the commit order.
    // The writer is held to 100 transactions per service lifetime, so that the kills are
    // spread over the whole workload instead of all landing after it.
    const expected: string[] = []
    const transactionStarts = new Set<number>()
    const versions = new Map<number, number>()
    let lastGtid = ''
    let kills = 0
    const workload = (async () => {
      for (let tx = 0; tx < 1000; tx++) {
        while (tx >= (kills + 1) * 100) await delay(20)
        transactionStarts.add(expected.length)
        const statements: string[] = []
        for (let i = 0; i < 50; i++) {
          const key = randomInt(500)
          const current = versions.get(key)
          if (current === undefined || current < 0) {
            const next = Math.abs(current ?? 0) + 1
            statements.push(`INSERT INTO items VALUES (${key}, ${next})`)
            versions.set(key, next)
            expected.push(`${key}:${next}:c`)
          } else if (randomInt(10) === 0) {
            statements.push(`DELETE FROM items WHERE id = ${key}`)
            versions.set(key, -current)
            expected.push(`${key}:${current}:d`)
          } else {
            statements.push(`UPDATE items SET version = ${current + 1} WHERE id = ${key}`)
            versions.set(key, current + 1)
            expected.push(`${key}:${current + 1}:u`)
          }
        }
        await scope.query(`BEGIN; ${statements.join('; ')}; COMMIT`)
      }
      const [row] = (await scope.query('SELECT @@last_gtid AS gtid')) as { gtid: string }[]
      lastGtid = row?.gtid ?? ''
    })()

    for (; kills < 10; kills++) {
      await delay(500 + randomInt(2_500))
      service.kill('SIGKILL')
      await service.exited
      service = await start(env)
    }
    await workload
    // Done when the stored position covers the workload's last transaction: every record
    // up to it is in Kafka and nothing will be written again.
    await waitForMariadbPosition(service.url, name, lastGtid, 240_000)

    const records = await readAll(topic, 120_000)
    assert.ok(records.every((record) => record.partition === 0))
    const { seen, last } = readChanges(records)
    assert.equal(expected.length, 50_000)
    const { replays, duplicates } = checkAtLeastOnce(seen, expected, transactionStarts)
    assert.ok(replays <= 10, `${String(replays)} replays for 10 restarts`)
    assert.equal(seen.length, expected.length + duplicates)

    // The topic's last record per key (a tombstone after a delete) is the table's row.
    const [rows] = await scope.admin.query('SELECT id, version FROM items')
    const table = new Map((rows as { id: number; version: number }[]).map((r) => [r.id, r.version]))
    for (const key of new Set([...table.keys(), ...last.keys()])) {
      assert.equal(last.get(key) ?? null, table.get(key) ?? null, `key ${String(key)}`)
    }
    service.kill('SIGTERM')
    await service.exited
  })

  it('killed twice during its initial snapshot, snapshots again and then streams; nothing lost', async (t) => {
    const scope = await MysqlScope.create()
    t.after(() => scope.drop())
    const env = { ...isolatedServiceEnv(), CDC_SESSION_TIMEOUT_MS: '6000' }
    const prefix = uniqueName('snapkill')
    const topic = `${prefix}.${scope.database}.items`
    topics.push(...Object.values(env), topic)
    await scope.query('CREATE TABLE items (id INT PRIMARY KEY, version INT NOT NULL)')
    const rows = 60_000
    await scope.query(`INSERT INTO items SELECT seq, 1 FROM seq_0_to_${String(rows - 1)}`)
    let service = await start(env)
    const name = scope.name
    // Small fetches: positions (snapshot_completed=false) are stored all along the snapshot.
    const config = scope.config({
      'topic.prefix': prefix,
      'snapshot.fetch.size': '1000',
      ...jsonConverters,
    })
    assert.equal((await api(service.url, 'POST', '/connectors', { name, config })).status, 201)
    for (let kill = 0; kill < 2; kill++) {
      const url = service.url
      await waitForStatus(url, name, 'the snapshot to be under way', (status) =>
        status.snapshot.some((table) => table.rows_done > 0),
      )
      await delay(randomInt(500))
      service.kill('SIGKILL')
      await service.exited
      service = await start(env)
    }
    await waitForStreaming(service.url, name, 120_000)
    // A snapshot that did not complete is taken again from its start (positions stored
    // during it say snapshot_completed=false), so its rows may repeat from the first one;
    // what was streamed after it never does here, since nothing is killed any more.
    await scope.query(
      'BEGIN; UPDATE items SET version = 2 WHERE id = 7; DELETE FROM items WHERE id = 8; COMMIT',
    )
    const [row] = (await scope.query('SELECT @@last_gtid AS gtid')) as { gtid: string }[]
    await waitForMariadbPosition(service.url, name, row?.gtid ?? '')
    const expected = Array.from({ length: rows }, (_, id) => `${String(id)}:1:r`)
    expected.push('7:2:u', '8:1:d')
    const { seen, last } = readChanges(await readAll(topic, 120_000))
    const { replays } = checkAtLeastOnce(seen, expected, new Set([0, rows]))
    assert.ok(replays <= 2, `${String(replays)} replays for 2 kills`)
    assert.equal(last.get(7), 2)
    assert.equal(last.get(8), null)
    service.kill('SIGTERM')
    await service.exited
  })
})
