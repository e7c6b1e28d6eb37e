// Kafka stopped under a running Postgres connector, through the service process: the
// shared broker is frozen (SIGSTOP) for 15 s while a workload keeps committing, then
// resumed. While Kafka cannot acknowledge anything, the slot's confirmed_flush_lsn must
// not pass the last position Kafka had accepted before the freeze (else a crash now would
// lose the changes in between); afterwards every committed change is in Kafka.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { KafkaClient } from '../../../kafka/kafka-client.ts'
import { testEnv } from '../../helpers/env.ts'
import { freezeBroker } from '../../helpers/kafka-broker.ts'
import { jsonPayload, readAll, readUntil } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
import {
  api,
  cdcBin,
  isolatedServiceEnv,
  startServiceProcess,
  type ServiceProcess,
} from '../../helpers/service-process.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { adminClient, PgScope } from '../postgres/pg-fixture.ts'

const kafka = new KafkaClient({ brokers: testEnv.kafkaBrokers, clientId: 'test-pg-outage' })
const topics: string[] = []
const cleanups: (() => Promise<void> | void)[] = []

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  await kafka.admin.deleteTopics(topics).catch(() => undefined)
  await kafka.close()
})

/** An LSN as a number of bytes, to compare (`X/Y`, hex halves). */
function lsnValue(text: string): bigint {
  const [high = '0', low = '0'] = text.split('/')
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`)
}

describe('Kafka frozen under the Postgres connector', () => {
  it('confirms nothing Kafka has not accepted while frozen, and loses nothing', async () => {
    const scope = await PgScope.create()
    cleanups.push(() => scope.drop())
    const table = scope.table('items')
    await scope.query(`create table ${table} (id int primary key, payload text not null)`)
    const env = isolatedServiceEnv()
    const prefix = uniqueName('outage')
    const topic = `${prefix}.${scope.schema}.items`
    topics.push(...Object.values(env), topic)
    const service: ServiceProcess = await startServiceProcess(cdcBin, env)
    cleanups.push(async () => {
      service.kill('SIGKILL')
      await service.exited
    })
    const config = {
      ...scope.config({
        'topic.prefix': prefix,
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'key.converter.schemas.enable': 'false',
        'value.converter.schemas.enable': 'false',
        // Keepalive confirmations are the ones most tempted to run ahead: they follow the
        // server's WAL end, not a transaction the sink saw.
        'heartbeat.interval.ms': '500',
        'slot.drop.on.stop': 'true',
      }),
      name: scope.name,
    }
    assert.equal(
      (await api(service.url, 'POST', '/connectors', { name: scope.name, config })).status,
      201,
    )
    await waitFor(
      'streaming',
      async () => {
        const s = await api<{ phase: string | null }>(
          service.url,
          'GET',
          `/connectors/${scope.name}/status`,
        )
        return s.body.phase === 'streaming' ? true : undefined
      },
      { timeoutMs: 60_000 },
    )
    const confirmed = async (): Promise<bigint> => {
      const row = await scope.slotRow()
      return lsnValue(row?.confirmed_flush_lsn ?? '0/0')
    }

    // One insert per transaction, on a connection of its own, all through the outage.
    const writer = await adminClient()
    cleanups.push(() => writer.end())
    const load = { stopped: false, committed: 0 }
    const workload = (async () => {
      for (let id = 1; !load.stopped; id++) {
        await writer.query(`insert into ${table} values ($1, repeat('x', 200))`, [id])
        load.committed++
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })()
    const progress = async (count: number) => {
      const target = load.committed + count
      await waitFor(
        `${count} more transactions`,
        () => (load.committed >= target ? true : undefined),
        { timeoutMs: 60_000 },
      )
    }

    const samples: { at: number; lsn: bigint }[] = []
    // Filled in by the outage below.
    const outage = { frozenAt: 0, thawedAt: 0, committedBefore: 0, committedAtThaw: 0 }
    try {
      await progress(200)
      const before = await confirmed()
      await waitFor('the slot to confirm the workload', async () =>
        (await confirmed()) > before ? true : undefined,
      )
      const broker = freezeBroker(20_000)
      outage.frozenAt = broker.frozenAt
      outage.committedBefore = load.committed
      try {
        while (Date.now() - outage.frozenAt < 15_000) {
          samples.push({ at: Date.now(), lsn: await confirmed() })
          await new Promise((resolve) => setTimeout(resolve, 200))
        }
      } finally {
        broker.thaw()
        outage.thawedAt = Date.now()
        outage.committedAtThaw = load.committed
      }
      await progress(200)
    } finally {
      load.stopped = true
      await workload
    }
    assert.ok(samples.length > 20, `only ${samples.length} samples during the freeze`)
    const { frozenAt, thawedAt } = outage
    const committedWhileFrozen = outage.committedAtThaw - outage.committedBefore
    assert.ok(committedWhileFrozen > 100, `only ${committedWhileFrozen} commits while frozen`)

    // Nothing can be acknowledged by a stopped broker: after the few responses already on
    // their way when it stopped (given 5 s on a loaded machine), the position stands still.
    const settled = samples.filter((sample) => sample.at - frozenAt >= 5_000)
    const frozenLsns = new Set(settled.map((sample) => sample.lsn))
    assert.equal(
      frozenLsns.size,
      1,
      `confirmed_flush_lsn moved while Kafka was frozen: ${[...frozenLsns].join(', ')}`,
    )
    // And it never passed the last position stored in Kafka before the freeze (a record
    // created after SIGSTOP cannot have been accepted before it).
    const peak = samples.reduce((max, sample) => (sample.lsn > max ? sample.lsn : max), 0n)
    const positions = (await readAll(env.CDC_OFFSETS_TOPIC ?? '')).flatMap((record) => {
      const value = jsonPayload(record.value)
      return typeof value?.lsn === 'string'
        ? [{ at: record.timestamp, lsn: lsnValue(value.lsn) }]
        : []
    })
    assert.ok(
      positions.some((position) => position.at > thawedAt),
      'no position was stored after the outage',
    )
    const storedBefore = positions
      .filter((position) => position.at < frozenAt)
      .reduce((max, position) => (position.lsn > max ? position.lsn : max), 0n)
    assert.ok(storedBefore > 0n, 'no position was stored before the freeze')
    assert.ok(
      peak <= storedBefore,
      `confirmed ${peak} during the freeze, past the last position Kafka had before it (${storedBefore})`,
    )

    // Everything committed is delivered once Kafka is back, and the slot confirms it.
    const { rows: endRows } = await scope.admin.query<{ lsn: string }>(
      'select pg_current_wal_lsn()::text as lsn',
    )
    const end = lsnValue(endRows[0]?.lsn ?? '0/0')
    await waitFor(
      'the slot to confirm the end of the workload',
      async () => ((await confirmed()) >= end ? true : undefined),
      { timeoutMs: 120_000 },
    )
    const { rows } = await scope.admin.query<{ id: string }>(`select id from ${table}`)
    const expected = new Set(rows.map((row) => Number(row.id)))
    const seen = new Set<number>()
    await readUntil(
      [topic],
      (records) => {
        seen.clear()
        for (const record of records) {
          const after = jsonPayload(record.value)?.after as { id: number } | undefined
          if (after !== undefined) seen.add(after.id)
        }
        return seen.size >= expected.size
      },
      120_000,
    )
    const missing = [...expected].filter((id) => !seen.has(id))
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} committed rows missing`)

    service.kill('SIGTERM')
    assert.equal(await service.exited, 0)
  })
})
