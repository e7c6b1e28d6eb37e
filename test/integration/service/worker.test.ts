// The runtime's lifecycle through its ConnectService API on real Kafka, with the test
// counter connector: records appear, pause and stop are clean, positions survive a
// restart, offsets can be changed only while STOPPED, a permanent failure is FAILED with
// its reason and a restart after the fix resumes from the stored position.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CdcError } from '../../../common/errors.ts'
import { KafkaClient } from '../../../kafka/kafka-client.ts'
import { ConfluentRegistryClient } from '../../../registry/client/confluent-registry-client.ts'
import { sinkFactory } from '../../../service/sink-factory.ts'
import { Worker } from '../../../service/worker.ts'
import { testEnv } from '../../helpers/env.ts'
import { jsonPayload, readUntil } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { counterPlugin } from './counter-plugin.ts'

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }

function newWorker(kafka: KafkaClient, prefix: string): Worker {
  return new Worker({
    workerId: `${prefix}-worker`,
    version: 'test',
    kafka,
    plugins: [counterPlugin],
    topics: {
      configs: `${prefix}_configs`,
      status: `${prefix}_status`,
      offsets: `${prefix}_offsets`,
      slots: `${prefix}_slots`,
    },
    groupId: `${prefix}_group`,
    replicationFactor: 1,
    createSink: sinkFactory(kafka, new ConfluentRegistryClient({ url: testEnv.apicurioUrl }), 1),
    logger: quiet,
    sessionTimeoutMs: 6_000,
  })
}

const ids = (records: readonly { value: Buffer | null }[]): number[] =>
  records.map((r) => Number((jsonPayload(r.value)?.after as { id: number } | undefined)?.id))

describe('service/worker lifecycle', () => {
  const kafka = new KafkaClient({ brokers: testEnv.kafkaBrokers, clientId: 'test-worker' })
  const prefix = uniqueName('wk')
  const topicPrefix = uniqueName('counter')
  let worker: Worker

  before(async () => {
    worker = newWorker(kafka, prefix)
    await worker.start()
  })
  after(async () => {
    await worker.close()
    await kafka.admin
      .deleteTopics([
        `${prefix}_configs`,
        `${prefix}_status`,
        `${prefix}_offsets`,
        `${prefix}_slots`,
        `${topicPrefix}.counter`,
      ])
      .catch(() => undefined)
    await kafka.close()
  })

  it('refuses bad configs naming every problem, unknown plugins and duplicate names', async () => {
    await assert.rejects(worker.create('c0', { 'connector.class': 'nope' }), (error: unknown) => {
      assert.ok(error instanceof CdcError)
      assert.equal(error.code, 'CDC_API_PLUGIN_NOT_FOUND')
      return true
    })
    await assert.rejects(
      worker.create('c0', {
        'connector.class': 'counter',
        'bogus.key': 'x',
        'value.converter': 'foo',
      }),
      (error: unknown) => {
        assert.ok(error instanceof CdcError)
        assert.equal(error.code, 'CDC_CONFIG_INVALID')
        const fields = (error.details.issues as { field: string }[]).map((i) => i.field).sort()
        assert.deepEqual(fields, ['bogus.key', 'topic.prefix', 'value.converter'])
        return true
      },
    )
  })

  it('runs a connector: RUNNING, records in Kafka, positions stored', async () => {
    await worker.create('c1', {
      'connector.class': 'counter',
      'topic.prefix': topicPrefix,
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    })
    await assert.rejects(
      worker.create('c1', { 'connector.class': 'counter', 'topic.prefix': 'x' }),
      /already exists/,
    )
    await waitFor('RUNNING', async () =>
      (await worker.status('c1')).connector.state === 'RUNNING' ? true : undefined,
    )
    const records = await readUntil([`${topicPrefix}.counter`], (r) => r.length >= 20)
    assert.deepEqual(
      ids(records).slice(0, 20),
      Array.from({ length: 20 }, (_, i) => i + 1),
    )
    await waitFor('a stored position', async () =>
      (await worker.offsets('c1')).offsets.length > 0 ? true : undefined,
    )
    assert.deepEqual(await worker.topics('c1'), [`${topicPrefix}.counter`])
  })

  it('pauses cleanly and resumes from the stored position without a gap', async () => {
    await worker.pause('c1')
    await waitFor('PAUSED', async () =>
      (await worker.status('c1')).connector.state === 'PAUSED' ? true : undefined,
    )
    const pausedAt = Number((await worker.offsets('c1')).offsets[0]?.offset?.n)
    await worker.resume('c1')
    const records = await readUntil([`${topicPrefix}.counter`], (r) =>
      ids(r).includes(pausedAt + 10),
    )
    const seen = new Set(ids(records))
    for (let n = 1; n <= pausedAt + 10; n++) assert.ok(seen.has(n), `row ${n} missing`)
  })

  it('changes offsets only while STOPPED, and resumes from the changed position', async () => {
    await assert.rejects(
      worker.alterOffsets('c1', { offsets: [] }),
      (e: unknown) => e instanceof CdcError && e.code === 'CDC_API_CONFLICT',
    )
    await worker.stop('c1')
    await waitFor('STOPPED', async () =>
      (await worker.status('c1')).connector.state === 'STOPPED' ? true : undefined,
    )
    await worker.alterOffsets('c1', {
      offsets: [{ partition: { server: 'c1' }, offset: { n: '100000' } }],
    })
    assert.deepEqual((await worker.offsets('c1')).offsets[0]?.offset, { n: '100000' })
    await worker.resume('c1')
    await readUntil([`${topicPrefix}.counter`], (r) => ids(r).includes(100_005))
  })

  it('stops in FAILED with the reason on a permanent error, and restarts after the fix', async () => {
    const failing = `${topicPrefix}_f`
    await worker.create('c2', {
      'connector.class': 'counter',
      'topic.prefix': failing,
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'counter.fail.at': '8',
      'counter.batch': '5',
    })
    const status = await waitFor('FAILED', async () => {
      const s = await worker.status('c2')
      return s.connector.state === 'FAILED' ? s : undefined
    })
    assert.equal(status.error?.code, 'CDC_CONFIG_INVALID')
    assert.match(status.connector.trace ?? '', /counter.fail.at=8/)
    assert.deepEqual(status.last_committed_position, { n: '5' })
    const config = await worker.config('c2')
    const fixed: Record<string, string> = { ...config }
    delete fixed['counter.fail.at']
    await worker.putConfig('c2', fixed)
    await worker.restart('c2', { includeTasks: false, onlyFailed: false })
    await waitFor('RUNNING after restart', async () =>
      (await worker.status('c2')).connector.state === 'RUNNING' ? true : undefined,
    )
    const records = await readUntil([`${failing}.counter`], (r) => ids(r).includes(12))
    // Rows 6 and 7 were emitted before the failure but never committed: they come again.
    const seen = ids(records)
    for (let n = 1; n <= 12; n++) assert.ok(seen.includes(n), `row ${n} missing`)
    await worker.delete('c2')
  })

  it('deletes a connector and forgets it', async () => {
    await worker.delete('c1')
    assert.deepEqual(await worker.list(), [])
    await assert.rejects(
      worker.status('c1'),
      (e: unknown) => e instanceof CdcError && e.code === 'CDC_API_CONNECTOR_NOT_FOUND',
    )
  })
})
