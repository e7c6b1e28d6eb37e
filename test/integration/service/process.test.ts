// The service as a process on real Kafka: driven over HTTP, killed with SIGKILL and
// restarted, stopped with SIGTERM, and run as two instances that split the connectors and
// take over from each other.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
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
  connector: { state: string; worker_id: string }
  last_committed_position: { n?: string } | null
}

const fleet = new ServiceFleet('test-process')
const { topics } = fleet
const start = (env: Record<string, string>): Promise<ServiceProcess> =>
  fleet.start(env, counterServiceEntry)

function counterConfig(prefix: string, extra: Record<string, string> = {}) {
  topics.push(`${prefix}.counter`)
  return {
    'connector.class': 'counter',
    'topic.prefix': prefix,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'counter.batch': '5',
    'counter.interval.ms': '5',
    ...extra,
  }
}

async function status(service: ServiceProcess, name: string): Promise<Status> {
  const response = await api<Status>(
    service.url,
    'GET',
    `/connectors/${encodeURIComponent(name)}/status`,
  )
  assert.equal(response.status, 200, JSON.stringify(response.body))
  return response.body
}

const committed = (s: Status): number => Number(s.last_committed_position?.n ?? '0')
const ids = (records: readonly { value: Buffer | null }[]): number[] =>
  records.map((r) => Number((jsonPayload(r.value)?.after as { id: number } | undefined)?.id))

after(() => fleet.close())

describe('the service process', () => {
  it('is driven over HTTP: create, status, pause, resume, delete', async () => {
    const env = isolatedServiceEnv()
    const service = await start(env)
    const prefix = uniqueName('http')
    const created = await api(service.url, 'POST', '/connectors', {
      name: 'http1',
      config: counterConfig(prefix),
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    await waitFor('RUNNING', async () =>
      (await status(service, 'http1')).connector.state === 'RUNNING' ? true : undefined,
    )
    await readUntil([`${prefix}.counter`], (r) => r.length >= 10)
    const expanded = await api<Record<string, { status: Status }>>(
      service.url,
      'GET',
      '/connectors?expand=status',
    )
    assert.equal(expanded.body.http1?.status.connector.state, 'RUNNING')
    assert.equal((await api(service.url, 'PUT', '/connectors/http1/pause')).status, 202)
    await waitFor('PAUSED', async () =>
      (await status(service, 'http1')).connector.state === 'PAUSED' ? true : undefined,
    )
    assert.equal((await api(service.url, 'PUT', '/connectors/http1/resume')).status, 202)
    await waitFor('RUNNING again', async () =>
      (await status(service, 'http1')).connector.state === 'RUNNING' ? true : undefined,
    )
    assert.equal((await api(service.url, 'DELETE', '/connectors/http1')).status, 204)
    assert.equal((await api(service.url, 'GET', '/connectors/http1/status')).status, 404)
    service.kill('SIGTERM')
    assert.equal(await service.exited, 0)
    topics.push(...Object.values(env))
  })

  it('killed with SIGKILL and restarted, resumes every connector from its stored position', async () => {
    const env = isolatedServiceEnv()
    topics.push(...Object.values(env))
    const prefix = uniqueName('kill')
    let service = await start(env)
    await api(service.url, 'POST', '/connectors', { name: 'k1', config: counterConfig(prefix) })
    const before = await waitFor('progress', async () => {
      const s = await status(service, 'k1')
      return committed(s) >= 200 ? s : undefined
    })
    service.kill('SIGKILL')
    await service.exited
    service = await start(env)
    const resumed = await waitFor('progress after the restart', async () => {
      const s = await status(service, 'k1')
      return s.connector.state === 'RUNNING' && committed(s) >= committed(before) + 100
        ? s
        : undefined
    })
    const last = committed(resumed)
    const records = await readUntil([`${prefix}.counter`], (r) => ids(r).includes(last))
    const seen = new Set(ids(records))
    for (let n = 1; n <= last; n++) assert.ok(seen.has(n), `row ${n} missing after the kill`)
    service.kill('SIGTERM')
    assert.equal(await service.exited, 0)
  })

  it('on SIGTERM stops at a clean position: everything written is committed, and it exits 0', async () => {
    const env = isolatedServiceEnv()
    topics.push(...Object.values(env))
    const prefix = uniqueName('term')
    const service = await start(env)
    await api(service.url, 'POST', '/connectors', { name: 't1', config: counterConfig(prefix) })
    await waitFor('progress', async () =>
      committed(await status(service, 't1')) >= 50 ? true : undefined,
    )
    const stoppedAt = Date.now()
    service.kill('SIGTERM')
    assert.equal(await service.exited, 0)
    assert.ok(Date.now() - stoppedAt < 10_000, 'took longer than 10 s to stop')
    // Restarted, the position it resumes from is the last row it wrote: nothing is repeated.
    const again = await start(env)
    const s = await waitFor('status', async () => {
      const current = await status(again, 't1')
      return current.last_committed_position === null ? undefined : current
    })
    const records = await readUntil([`${prefix}.counter`], (r) => r.length >= committed(s))
    const written = ids(records)
    assert.equal(new Set(written).size, written.length, 'a row was written twice')
    again.kill('SIGTERM')
    assert.equal(await again.exited, 0)
  })

  it('two instances split the connectors and take over from one that dies', async () => {
    const env = { ...isolatedServiceEnv(), CDC_SESSION_TIMEOUT_MS: '6000' }
    topics.push(...Object.values(env))
    const a = await start({ ...env, CDC_WORKER_ID: 'instance-a' })
    const b = await start({ ...env, CDC_WORKER_ID: 'instance-b' })
    const names = Array.from({ length: 8 }, (_, i) => `pair${i}`)
    for (const name of names) {
      const response = await api(a.url, 'POST', '/connectors', {
        name,
        config: counterConfig(uniqueName(name)),
      })
      assert.equal(response.status, 201)
    }
    const owners = await waitFor(
      'every connector RUNNING',
      async () => {
        const statuses = await Promise.all(names.map((name) => status(b, name)))
        return statuses.every((s) => s.connector.state === 'RUNNING')
          ? statuses.map((s) => s.connector.worker_id)
          : undefined
      },
      { timeoutMs: 60_000 },
    )
    const victim = owners.includes('instance-a') ? a : b
    const survivor = victim === a ? 'instance-b' : 'instance-a'
    const survivorProcess = victim === a ? b : a
    victim.kill('SIGKILL')
    await victim.exited
    await waitFor(
      'the survivor to run every connector',
      async () => {
        const statuses = await Promise.all(names.map((name) => status(survivorProcess, name)))
        return statuses.every(
          (s) => s.connector.state === 'RUNNING' && s.connector.worker_id === survivor,
        )
          ? true
          : undefined
      },
      { timeoutMs: 60_000 },
    )
    survivorProcess.kill('SIGTERM')
    assert.equal(await survivorProcess.exited, 0)
  })
})
