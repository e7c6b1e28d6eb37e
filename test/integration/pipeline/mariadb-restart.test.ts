// MariaDB restarted under a streaming connector (issue #6), once cleanly and once by a
// crash: the connector keeps RUNNING, retrying with backoff while the server is away, and
// then resumes from its last committed position. A writer commits transactions before,
// during (attempts that fail) and after each restart; every committed one must arrive, in
// commit order, with only the repeats at-least-once delivery allows, and no attempt that
// failed may show up. The server is the test's own: the shared one must stay up.
import assert from 'node:assert/strict'
import { setTimeout as delay } from 'node:timers/promises'
import { after, describe, it } from 'node:test'
import type mysql from 'mysql2/promise'
import { KafkaClient } from '../../../kafka/kafka-client.ts'
import { checkAtLeastOnce } from '../../helpers/at-least-once.ts'
import {
  connectorStatus,
  waitForMariadbPosition,
  waitForStatus,
  waitForStreaming,
} from '../../helpers/connector-status.ts'
import { testEnv } from '../../helpers/env.ts'
import { jsonPayload, readAll, type ReadRecord } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
import { cleanups } from '../../helpers/cleanups.ts'
import { PrivateMariadb } from '../../helpers/private-mariadb.ts'
import {
  api,
  cdcBin,
  isolatedServiceEnv,
  startServiceProcess,
} from '../../helpers/service-process.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { MysqlScope } from '../mysql/mysql-fixture.ts'

const kafka = new KafkaClient({ brokers: testEnv.kafkaBrokers, clientId: 'test-mariadb-restart' })
const topics: string[] = []

after(async () => {
  await kafka.admin.deleteTopics(topics).catch(() => undefined)
  await kafka.close()
})

// Every tenth transaction also inserts this many rows (ids above 1e6), so that the
// connector is more often in the middle of a transaction when the server goes away.
const bulkRows = 500

function bulkIds(n: number): number[] {
  return n % 10 === 0 ? Array.from({ length: bulkRows }, (_, k) => 1_000_000 + n * 1000 + k) : []
}

/** The change ids of transaction `n` given the rows that exist before it (the model). */
function transactionChanges(n: number, rows: Set<number>): string[] {
  const changes = [`c:${n}:0`]
  rows.add(n)
  if (rows.has(n - 1)) changes.push(`u:${n - 1}:${n}`)
  if (n % 4 === 0 && rows.has(n - 3)) {
    changes.push(`d:${n - 3}`)
    rows.delete(n - 3)
  }
  changes.push(...bulkIds(n).map((id) => `c:${id}:0`))
  return changes
}

function transactionSql(n: number): string {
  const bulk = bulkIds(n)
  return [
    'BEGIN',
    `INSERT INTO t VALUES (${n}, 0)`,
    `UPDATE t SET v = ${n} WHERE id = ${n - 1}`,
    ...(n % 4 === 0 ? [`DELETE FROM t WHERE id = ${n - 3}`] : []),
    ...(bulk.length > 0
      ? [`INSERT INTO t VALUES ${bulk.map((id) => `(${id}, 0)`).join(', ')}`]
      : []),
    // Not captured: which transactions committed, read back at the end.
    `INSERT INTO committed VALUES (${n})`,
    'COMMIT',
  ].join('; ')
}

/** The change id of a record: `c:id:v`, `u:id:v`, `d:id`; null for a tombstone. */
function changeId(record: ReadRecord): string | null {
  const value = jsonPayload(record.value)
  if (value === null) return null
  const op = String(value.op)
  if (op === 'd') return `d:${String((value.before as { id: number }).id)}`
  const row = value.after as { id: number; v: number }
  return `${op}:${String(row.id)}:${String(row.v)}`
}

/**
 * Commits transaction after transaction until `stop()`, reconnecting whenever the server
 * is away. An attempt whose connection broke may or may not have committed; the
 * `committed` table says which did.
 */
class Writer {
  attempts = 0
  failures = 0
  #next = 1
  #stopped = false
  readonly done: Promise<void>
  readonly #server: PrivateMariadb
  readonly #database: string

  constructor(server: PrivateMariadb, database: string) {
    this.#server = server
    this.#database = database
    this.done = this.#run()
  }

  get next(): number {
    return this.#next
  }

  async stop(): Promise<void> {
    this.#stopped = true
    await this.done
  }

  async #run(): Promise<void> {
    let connection: mysql.Connection | null = null
    while (!this.#stopped) {
      const n = this.#next++
      this.attempts++
      try {
        connection ??= await this.#server.connect(this.#database)
        await connection.query(transactionSql(n))
      } catch {
        this.failures++
        connection?.destroy()
        connection = null
        await delay(100)
      }
      await delay(10)
    }
    await connection?.end()
  }
}

describe('MariaDB restarted mid-stream', () => {
  it('the connector keeps running, resumes from its last committed position and loses nothing', async (t) => {
    const defer = cleanups(t)
    const server = await PrivateMariadb.create()
    defer(() => server.destroy())
    const scope = await MysqlScope.create(server)
    // The server goes with its databases; the scope's connection does not survive the
    // restarts, so it is only let go.
    defer(() => {
      scope.admin.destroy()
    })
    const env = isolatedServiceEnv()
    const prefix = uniqueName('restart')
    const topic = `${prefix}.${scope.database}.t`
    topics.push(...Object.values(env), topic)
    await scope.query('CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)')
    await scope.query('CREATE TABLE committed (n INT PRIMARY KEY)')
    const running = await startServiceProcess(cdcBin, env)
    defer(async () => {
      running.kill('SIGKILL')
      await running.exited
    })
    const name = scope.name
    const config = scope.config({
      'topic.prefix': prefix,
      'table.include.list': `${scope.database}.t`,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter.schemas.enable': 'false',
    })
    assert.equal((await api(running.url, 'POST', '/connectors', { name, config })).status, 201)
    await waitForStreaming(running.url, name)

    // Watches the status throughout: a retriable outage must never show as FAILED.
    const states = new Set<string>()
    const watching = { on: true }
    const watcher = (async () => {
      while (watching.on) {
        const status = await connectorStatus(running.url, name).catch(() => null)
        if (status !== null) states.add(status.connector.state)
        await delay(200)
      }
    })()

    const writer = new Writer(server, scope.database)
    defer(() => writer.stop())
    const active = writer
    const progress = async (transactions: number) => {
      const target = active.next + transactions
      await waitFor(
        `the writer to reach ${String(target)}`,
        () => (active.next >= target ? true : undefined),
        { timeoutMs: 60_000 },
      )
    }
    await progress(30)
    await server.stop('SIGTERM')
    await delay(1_500)
    await server.start()
    await progress(30)
    await waitForStreaming(running.url, name, 120_000)
    await progress(30)
    await server.stop('SIGKILL')
    await delay(1_500)
    await server.start()
    await progress(30)
    await waitForStreaming(running.url, name, 120_000)
    await progress(30)
    await writer.stop()
    watching.on = false
    await watcher

    const admin = await server.connect(scope.database)
    let committed: number[]
    let lastGtid: string
    try {
      const [rows] = await admin.query('SELECT n FROM committed ORDER BY n')
      committed = (rows as { n: number }[]).map((row) => row.n)
      const [position] = await admin.query('SELECT @@gtid_binlog_pos AS gtid')
      lastGtid = (position as { gtid: string }[])[0]?.gtid ?? ''
    } finally {
      await admin.end()
    }
    // The outages made attempts fail, and those attempts were lost, not half-applied.
    assert.ok(writer.failures > 0, 'no write attempt failed: the server was never away')
    assert.ok(committed.length < writer.attempts)
    const model = new Set<number>()
    const expected: string[] = []
    const transactionStarts = new Set<number>()
    for (const n of committed) {
      transactionStarts.add(expected.length)
      expected.push(...transactionChanges(n, model))
    }

    // Every committed transaction is in the stored position, so all of it is in Kafka.
    await waitForMariadbPosition(running.url, name, lastGtid)
    const records = await readAll(topic)
    assert.ok(records.every((record) => record.partition === 0))
    const seen = records.map(changeId).filter((id): id is string => id !== null)
    const { replays } = checkAtLeastOnce(seen, expected, transactionStarts)
    // Each failed run resumes once; repeats beyond one per failure would mean something
    // else than a resume from the last committed position.
    const retries = running.logs.filter((line) =>
      line.includes('connector failed, retrying from its last committed position'),
    )
    assert.ok(
      replays <= retries.length,
      `${String(replays)} replays, ${String(retries.length)} retries`,
    )
    assert.ok(retries.length >= 2, 'the connector retried after each restart')
    assert.ok(
      retries.every((line) => line.includes('CDC_MYSQL_CONNECTION')),
      `retries for other reasons than the lost connection:\n${retries.join('\n')}`,
    )
    assert.deepEqual(
      [...states].filter((state) => state !== 'RUNNING'),
      [],
    )
    const final = await waitForStatus(
      running.url,
      name,
      'RUNNING',
      (s) => s.connector.state === 'RUNNING',
    )
    assert.equal(final.error, null)
  })
})
