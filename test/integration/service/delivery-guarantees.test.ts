// Delivery guarantees of the sink through the service process, with the test counter
// connector (one source transaction = 5 rows, then a commit):
// - exactly-once mode: the service killed with SIGKILL at random points leaves a
//   read_committed consumer with whole transactions only and no duplicates;
// - Kafka stopped (the broker process frozen with SIGSTOP) for 20 s under load, then
//   resumed: nothing is lost and the service's memory stays bounded.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { randomInt } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { testEnv } from '../../helpers/env.ts'
import { jsonPayload, readUntil } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
import { ServiceFleet } from '../../helpers/service-fleet.ts'
import {
  api,
  counterServiceEntry,
  isolatedServiceEnv,
  type ServiceProcess,
} from '../../helpers/service-process.ts'
import { waitFor } from '../../helpers/wait-for.ts'

interface Status {
  connector: { state: string }
  last_committed_position: { n?: string } | null
}

const fleet = new ServiceFleet('test-delivery')
const { topics } = fleet
const start = (env: Record<string, string>): Promise<ServiceProcess> =>
  fleet.start(env, counterServiceEntry)

async function committed(service: ServiceProcess, name: string): Promise<number> {
  const status = await api<Status>(service.url, 'GET', `/connectors/${name}/status`)
  return Number(status.body.last_committed_position?.n ?? '0')
}

const ids = (records: readonly { value: Buffer | null }[]): number[] =>
  records.map((r) => Number((jsonPayload(r.value)?.after as { id: number } | undefined)?.id))

function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(match?.[1] ?? '0')
}

/** The pid of the process listening on the broker's port. */
function brokerPid(): number {
  const port = testEnv.kafkaBrokers[0]?.split(':')[1] ?? '9092'
  const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`]).toString()
  const match = /pid=(\d+)/.exec(out)
  if (match?.[1] === undefined) throw new Error(`no process listens on Kafka's port ${port}`)
  return Number(match[1])
}

after(() => fleet.close())

describe('delivery guarantees', () => {
  it('exactly-once mode: SIGKILL at random points leaves whole transactions only, no duplicates', async () => {
    const env = isolatedServiceEnv()
    const prefix = uniqueName('eos')
    topics.push(...Object.values(env), `${prefix}.counter`)
    let service = await start(env)
    const config = {
      'connector.class': 'counter',
      'topic.prefix': prefix,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'exactly.once.support': 'required',
      'counter.batch': '5',
      'counter.interval.ms': '2',
    }
    assert.equal(
      (await api(service.url, 'POST', '/connectors', { name: 'eos1', config })).status,
      201,
    )
    for (let kill = 0; kill < 5; kill++) {
      const target = (await committed(service, 'eos1')) + 50 + randomInt(200)
      await waitFor(
        'progress',
        async () => ((await committed(service, 'eos1')) >= target ? true : undefined),
        {
          timeoutMs: 60_000,
        },
      )
      service.kill('SIGKILL')
      await service.exited
      service = await start(env)
    }
    const last = await waitFor('progress after the last restart', async () => {
      const n = await committed(service, 'eos1')
      return n > 0 ? n : undefined
    })
    service.kill('SIGTERM')
    await service.exited
    const records = await readUntil([`${prefix}.counter`], (r) => ids(r).includes(last), 60_000)
    const seen = ids(records)
    assert.equal(new Set(seen).size, seen.length, 'a row was delivered twice')
    const max = Math.max(...seen)
    // Rows are written 5 per source transaction: only whole transactions are visible.
    assert.equal(max % 5, 0, `the last visible transaction is partial (row ${max})`)
    assert.deepEqual(
      seen.slice().sort((a, b) => a - b),
      Array.from({ length: max }, (_, i) => i + 1),
    )
  })

  it('Kafka frozen for 20 s under load: nothing lost, memory bounded, delivery resumes', async () => {
    const env = isolatedServiceEnv()
    const prefix = uniqueName('outage')
    topics.push(...Object.values(env), `${prefix}.counter`)
    const service = await start(env)
    const config = {
      'connector.class': 'counter',
      'topic.prefix': prefix,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'counter.batch': '50',
      'counter.interval.ms': '1',
    }
    assert.equal(
      (await api(service.url, 'POST', '/connectors', { name: 'out1', config })).status,
      201,
    )
    await waitFor(
      'progress',
      async () => ((await committed(service, 'out1')) >= 2_000 ? true : undefined),
      {
        timeoutMs: 60_000,
      },
    )
    const before = await committed(service, 'out1')
    const rssBefore = rssKiB(service.child.pid ?? 0)
    const broker = brokerPid()
    let peak = rssBefore
    process.kill(broker, 'SIGSTOP')
    try {
      const until = Date.now() + 20_000
      while (Date.now() < until) {
        peak = Math.max(peak, rssKiB(service.child.pid ?? 0))
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
    } finally {
      process.kill(broker, 'SIGCONT')
    }
    // The connector blocks on the sink instead of buffering: memory stays flat.
    assert.ok(
      peak - rssBefore < 150 * 1024,
      `RSS grew by ${Math.round((peak - rssBefore) / 1024)} MiB during the outage`,
    )
    const target = before + 2_000
    await waitFor(
      'delivery to resume',
      async () => ((await committed(service, 'out1')) >= target ? true : undefined),
      {
        timeoutMs: 120_000,
      },
    )
    const last = await committed(service, 'out1')
    const records = await readUntil([`${prefix}.counter`], (r) => ids(r).includes(last), 120_000)
    const seen = new Set(ids(records))
    for (let n = 1; n <= last; n++) assert.ok(seen.has(n), `row ${n} lost during the outage`)
    service.kill('SIGTERM')
    assert.equal(await service.exited, 0)
  })
})
