// A table change the registry refuses, through the running service: the connector stops
// in FAILED with CDC_REG_INCOMPATIBLE_SCHEMA naming subject, level and reason; nothing
// after the last good position is written or committed; after the user relaxes the
// subject's level, a restart continues with nothing lost.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { KafkaClient } from '../../../kafka/kafka-client.ts'
import { testEnv } from '../../helpers/env.ts'
import { readUntil } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
import {
  api,
  counterServiceEntry,
  isolatedServiceEnv,
  startServiceProcess,
} from '../../helpers/service-process.ts'
import { waitFor } from '../../helpers/wait-for.ts'

function keyId(key: Buffer | null): number {
  if (key === null) return -1
  let value = 0n
  let shift = 0n
  for (let i = 5; i < key.length; i++) {
    const byte = BigInt(key.readUInt8(i))
    value |= (byte & 0x7fn) << shift
    shift += 7n
    if ((byte & 0x80n) === 0n) break
  }
  return Number((value >> 1n) ^ -(value & 1n))
}

interface Status {
  connector: { state: string }
  last_committed_position: { n?: string } | null
  error: { code: string; message: string } | null
}

const kafka = new KafkaClient({ brokers: testEnv.kafkaBrokers, clientId: 'test-schema-change' })
const topics: string[] = []

after(async () => {
  await kafka.admin.deleteTopics(topics).catch(() => undefined)
  await kafka.close()
})

describe('an incompatible schema change through the service', () => {
  it('stops the connector in FAILED with CDC_REG_INCOMPATIBLE_SCHEMA, and a restart after the fix loses nothing', async () => {
    const env = isolatedServiceEnv()
    const prefix = uniqueName('schema')
    const topic = `${prefix}.counter`
    topics.push(...Object.values(env), topic)
    const service = await startServiceProcess(counterServiceEntry, env)
    try {
      const config = {
        'connector.class': 'counter',
        'topic.prefix': prefix,
        'counter.batch': '5',
        'counter.interval.ms': '5',
        'counter.schema.change.at': '23',
      }
      assert.equal(
        (await api(service.url, 'POST', '/connectors', { name: 'sc1', config })).status,
        201,
      )
      const failed = await waitFor('FAILED', async () => {
        const s = (await api<Status>(service.url, 'GET', '/connectors/sc1/status')).body
        return s.connector.state === 'FAILED' ? s : undefined
      })
      assert.equal(failed.error?.code, 'CDC_REG_INCOMPATIBLE_SCHEMA')
      assert.match(failed.error.message, new RegExp(`${topic}-value`))
      assert.match(failed.error.message, /BACKWARD/)
      // Rows 21 and 22 share the failing transaction (21..25): not committed.
      assert.deepEqual(failed.last_committed_position, { n: '20' })
      const registered = await readUntil([topic], (r) => r.length >= 20)
      assert.ok(
        registered.length <= 22,
        `${registered.length} records: rows after the failure were written`,
      )

      const relaxed = await fetch(`${service.registryUrl}/config/${topic}-value`, {
        method: 'PUT',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ compatibility: 'NONE' }),
      })
      assert.equal(relaxed.status, 200)
      assert.equal((await api(service.url, 'POST', '/connectors/sc1/restart')).status, 204)
      await waitFor('progress past the change', async () => {
        const s = (await api<Status>(service.url, 'GET', '/connectors/sc1/status')).body
        return Number(s.last_committed_position?.n ?? '0') >= 40 ? true : undefined
      })
      // Every row up to 40 arrived: keys are framed Avro records of one long (zigzag varint).
      const records = await readUntil([topic], (r) => new Set(r.map((x) => keyId(x.key))).has(40))
      const ids = new Set(records.map((x) => keyId(x.key)))
      for (let n = 1; n <= 40; n++) assert.ok(ids.has(n), `row ${n} lost`)
      const versions = (await (
        await fetch(`${service.registryUrl}/subjects/${topic}-value/versions`)
      ).json()) as number[]
      assert.equal(versions.length, 2)
    } finally {
      service.kill('SIGTERM')
      await service.exited
    }
  })
})
