// PostgreSQL restarted under a running connector, through the service process: a private
// PostgreSQL 15 server (the shared one must stay up) is restarted with `pg_ctl restart -m
// fast` many times, and once held down for a while, during a steady workload. The
// connector retries with backoff, its status says why while the database is down, and it
// goes back to streaming from its last confirmed LSN. Afterwards Kafka holds every
// committed change, and the only duplicates are replays of an unconfirmed suffix
// (at-least-once), which the check below tells apart from anything else.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type pg from 'pg'
import { KafkaClient } from '../../../kafka/kafka-client.ts'
import { testEnv } from '../../helpers/env.ts'
import { jsonPayload, readUntil } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
import { startPrivatePostgres, type PrivatePostgres } from '../../helpers/private-postgres.ts'
import {
  api,
  cdcBin,
  isolatedServiceEnv,
  startServiceProcess,
  type ServiceProcess,
} from '../../helpers/service-process.ts'
import { waitFor } from '../../helpers/wait-for.ts'

interface Status {
  connector: { state: string }
  phase: string | null
  error: { code: string; message: string; retriable: boolean } | null
}

const kafka = new KafkaClient({ brokers: testEnv.kafkaBrokers, clientId: 'test-pg-restart' })
const topics: string[] = []
const cleanups: (() => Promise<void> | void)[] = []

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  await kafka.admin.deleteTopics(topics).catch(() => undefined)
  await kafka.close()
})

/**
 * Transaction n inserts row n and bumps row n-5, one transaction at a time. Which ones
 * committed is read back from the table at the end (a COMMIT cut off by the restart may
 * or may not have happened), and from that set the exact commit-ordered list of changes
 * follows, to compare Kafka against.
 */
class Workload {
  readonly #server: PrivatePostgres
  #client: pg.Client | null = null
  #stopped = false
  #next = 1
  committed = 0
  failures = 0
  readonly done: Promise<void>

  constructor(server: PrivatePostgres) {
    this.#server = server
    this.done = this.#run()
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const n = this.#next++
      try {
        this.#client ??= await this.#server.connect()
        await this.#client.query(
          `begin; insert into items values (${n}, 0); update items set v = v + 1 where id = ${n - 5}; commit`,
        )
        this.committed++
      } catch {
        // The server is restarting: this transaction may be lost; the table tells.
        this.failures++
        await this.#client?.end().catch(() => undefined)
        this.#client = null
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      await new Promise((resolve) => setTimeout(resolve, 3))
    }
    await this.#client?.end().catch(() => undefined)
  }

  async stop(): Promise<void> {
    this.#stopped = true
    await this.done
  }

  /** Waits until `count` more transactions committed. */
  async progress(count: number): Promise<void> {
    const target = this.committed + count
    await waitFor(
      `${count} more committed transactions`,
      () => (this.committed >= target ? true : undefined),
      { timeoutMs: 60_000 },
    )
  }
}

/** The runner's retry log lines (JSON), in order. */
function retriesLogged(logs: readonly string[]): { attempt: number; backoffMs: number }[] {
  return logs.flatMap((line) => {
    if (!line.includes('connector failed, retrying')) return []
    const entry = JSON.parse(line) as { attempt: number; backoffMs: number }
    return [{ attempt: entry.attempt, backoffMs: entry.backoffMs }]
  })
}

/** `c:n` and `u:n` in commit order, for the transactions whose rows exist. */
function expectedChanges(ids: readonly number[]): string[] {
  const present = new Set(ids)
  const changes: string[] = []
  for (const n of [...ids].sort((a, b) => a - b)) {
    changes.push(`c:${n}`)
    if (present.has(n - 5)) changes.push(`u:${n - 5}`)
  }
  return changes
}

/**
 * Splits what Kafka holds into runs of consecutive changes of the expected list. A run
 * after the first one is a replay after a restart: it must begin at a transaction's first
 * change, no later than right after where the previous run ended (no gap) and no earlier
 * than where the previous run began (only a suffix the previous run had not confirmed can
 * come again: positions only move forward).
 */
function checkRuns(seen: readonly string[], expected: readonly string[]): number {
  const index = new Map(expected.map((change, position) => [change, position]))
  let runs = 0
  let runStart = -1
  let previous = -1
  for (const [at, change] of seen.entries()) {
    const position = index.get(change)
    assert.ok(position !== undefined, `Kafka holds ${change}, which no committed transaction made`)
    if (position === previous + 1 && runs > 0) {
      previous = position
      continue
    }
    const context = `record ${at} (${change}) after ${expected[previous] ?? 'nothing'}`
    assert.ok(position <= previous + 1, `${context}: changes skipped`)
    assert.ok(position >= runStart, `${context}: replays more than the unconfirmed suffix`)
    assert.ok(change.startsWith('c:'), `${context}: a replay starts inside a transaction`)
    runs++
    runStart = position
    previous = position
  }
  assert.equal(
    previous,
    expected.length - 1,
    `the last ${expected.length - 1 - previous} changes are missing`,
  )
  return runs
}

describe('Postgres restarted under the service', () => {
  it('retries, says why while the database is down, resumes from its confirmed LSN; nothing lost', async () => {
    const server = await startPrivatePostgres()
    cleanups.push(() => {
      server.destroy()
    })
    const setup = await server.connect()
    await setup.query('create table items (id int primary key, v int not null)')
    await setup.end()

    const env = isolatedServiceEnv()
    const prefix = uniqueName('pgrestart')
    const topic = `${prefix}.public.items`
    topics.push(...Object.values(env), topic)
    const service: ServiceProcess = await startServiceProcess(cdcBin, env)
    cleanups.push(async () => {
      service.kill('SIGKILL')
      await service.exited
    })
    const name = uniqueName('conn')
    const config = {
      'connector.class': 'postgres',
      'database.hostname': server.host,
      'database.port': String(server.port),
      'database.user': server.user,
      'database.dbname': server.database,
      'database.sslmode': 'disable',
      'topic.prefix': prefix,
      'table.include.list': 'public.items',
      'slot.name': uniqueName('slot'),
      'publication.name': uniqueName('pub'),
      'publication.autocreate.mode': 'filtered',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter.schemas.enable': 'false',
      'heartbeat.interval.ms': '1000',
    }
    assert.equal((await api(service.url, 'POST', '/connectors', { name, config })).status, 201)
    const status = async () =>
      (await api<Status>(service.url, 'GET', `/connectors/${name}/status`)).body
    const streaming = async (what: string) => {
      let last: Status | undefined
      await waitFor(
        what,
        async () => {
          last = await status()
          return last.connector.state === 'RUNNING' && last.phase === 'streaming' ? true : undefined
        },
        { timeoutMs: 60_000 },
      ).catch((error: unknown) => {
        throw new Error(
          `${String(error)}; status ${JSON.stringify(last)}; logs ${service.logs.slice(-10).join('\n')}`,
        )
      })
    }
    await streaming('streaming')

    const workload = new Workload(server)
    try {
      await workload.progress(100)
      // Restarted again and again, each time once the connector streams anew: every
      // restart cuts a transaction stream that Kafka and the slot confirmation trail.
      for (let restart = 0; restart < 12; restart++) {
        server.restart()
        await workload.progress(20)
        await streaming(`streaming after restart ${restart + 1}`)
      }
      // Each outage gets the whole retry budget and starts from the shortest backoff: one
      // that counted every earlier outage too would wait longer each time and, after ten
      // restarts, fail for good.
      const restartRetries = retriesLogged(service.logs)
      assert.ok(restartRetries.length >= 12, `${restartRetries.length} retries for 12 restarts`)
      assert.ok(
        restartRetries.every((retry) => retry.attempt <= 3),
        `retry attempts across restarts: ${restartRetries.map((retry) => retry.attempt).join(',')}`,
      )

      // Held down: the status says why, and the connector keeps retrying (the first error
      // is the stream's; a retry's names the server it cannot reach).
      server.stop()
      const refused = new RegExp(`connecting to 127\\.0\\.0\\.1:${server.port}/postgres`)
      const logsBefore = service.logs.length
      let down: Status | undefined
      try {
        down = await waitFor(
          'a status naming the connection failure of a retry',
          async () => {
            const s = await status()
            return s.error !== null && refused.test(s.error.message) ? s : undefined
          },
          { timeoutMs: 30_000 },
        )
        // Down long enough for the backoff to grow: 0.5 s, 1 s, 2 s.
        await waitFor(
          'three retries while down',
          () => (retriesLogged(service.logs.slice(logsBefore)).length >= 3 ? true : undefined),
          { timeoutMs: 30_000 },
        )
      } finally {
        server.start()
      }
      assert.deepEqual(
        retriesLogged(service.logs.slice(logsBefore))
          .slice(0, 3)
          .map((retry) => retry.backoffMs),
        [500, 1000, 2000],
      )
      assert.equal(down.connector.state, 'RUNNING', JSON.stringify(down))
      assert.equal(down.error?.code, 'CDC_PG_CONNECTION', JSON.stringify(down))
      assert.equal(down.error.retriable, true)
      await streaming('streaming after the database came back')
      // The status topic clears the error once the connector streams again.
      await waitFor('the error to clear after recovery', async () =>
        (await status()).error === null ? true : undefined,
      )
      await workload.progress(100)
    } finally {
      await workload.stop()
    }
    assert.ok(workload.failures > 0, 'no transaction met a restart; the test did not test it')

    // Everything committed reaches Kafka, and the slot confirms it.
    const admin = await server.connect()
    cleanups.push(() => admin.end().catch(() => undefined))
    const { rows: endRows } = await admin.query<{ lsn: string }>(
      'select pg_current_wal_lsn()::text as lsn',
    )
    await waitFor(
      'the slot to confirm the end of the workload',
      async () => {
        const { rows } = await admin.query<{ behind: string }>(
          `select (pg_wal_lsn_diff($2::pg_lsn, confirmed_flush_lsn) > 0)::text as behind from pg_replication_slots where slot_name = $1`,
          [config['slot.name'], endRows[0]?.lsn],
        )
        return rows[0]?.behind === 'false' ? true : undefined
      },
      { timeoutMs: 60_000 },
    )
    const { rows } = await admin.query<{ id: string }>('select id from items')
    const expected = expectedChanges(rows.map((row) => Number(row.id)))
    const seen: string[] = []
    await readUntil(
      [topic],
      (records) => {
        seen.length = 0
        for (const record of records) {
          const value = jsonPayload(record.value)
          const row = value?.after as { id: number } | undefined
          if (value !== null && row !== undefined) seen.push(`${String(value.op)}:${row.id}`)
        }
        return new Set(seen).size >= expected.length
      },
      60_000,
    )
    const runs = checkRuns(seen, expected)
    // A replay only follows a retry (a new run of the task from the stored position).
    const retries = retriesLogged(service.logs).length
    assert.ok(runs <= retries + 1, `${runs} runs of changes for ${retries} retries`)
  })
})
