// output.format=avro on the real broker and registry (Apicurio's Confluent API): Avro
// change topics in, Confluent-framed Avro out, registered under `<output topic>-value`.
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { isStructValue } from '../../../envelope/validate-value.ts'
import { defaultJoinGroupId, JoinWorker } from '../../../enrichment/join-worker.ts'
import { RecordReader } from '../../../enrichment/record-reader.ts'
import { KafkaAdmin } from '../../../kafka/kafka-admin.ts'
import { KafkaProducer } from '../../../kafka/kafka-producer.ts'
import type { KafkaSettings } from '../../../kafka/kafka-settings.ts'
import { AvroRecordEncoder } from '../../../kafka/record-encoders.ts'
import { ConfluentRegistryClient } from '../../../registry/client/confluent-registry-client.ts'
import { testEnv } from '../../helpers/env.ts'
import { readUntil } from '../../helpers/kafka-read.ts'
import {
  change,
  customerRow,
  customersOf,
  joinConfig,
  joinTopics,
  orderRow,
  ordersOf,
  writeEvents,
} from './join-fixtures.ts'

const settings: KafkaSettings = { brokers: testEnv.kafkaBrokers, clientId: 'test-join-avro' }

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'bigint' || typeof value === 'number'
    ? String(value)
    : JSON.stringify(value)
}

describe('join worker with Avro', () => {
  const admin = new KafkaAdmin(settings)
  const registry = new ConfluentRegistryClient({ url: testEnv.apicurioUrl })
  const topics = joinTopics('jwa')
  const config = joinConfig(topics, { 'output.format': 'avro' })
  after(async () => {
    await admin
      .deleteTopics([topics.customers, topics.orders, topics.output])
      .catch(() => undefined)
    await admin.deleteGroups([defaultJoinGroupId(config)]).catch(() => undefined)
    await admin.close()
    rmSync(topics.stateDir, { recursive: true, force: true })
  })

  it('reads Avro inputs and writes registered Avro outputs', async () => {
    await admin.ensureTopic({ name: topics.customers, partitions: 1, replicationFactor: 1 })
    await admin.ensureTopic({ name: topics.orders, partitions: 1, replicationFactor: 1 })
    const producer = new KafkaProducer(settings)
    const avro = new AvroRecordEncoder(registry)
    const controller = new AbortController()
    const worker = new JoinWorker({ config, kafka: settings, registry })
    let running: Promise<void> | undefined
    try {
      await writeEvents(
        producer,
        [change(customersOf(topics), 'c', null, customerRow(1, 'A'), 5)],
        avro,
      )
      await writeEvents(
        producer,
        [
          change(ordersOf(topics), 'c', null, orderRow(1, 1), 10),
          change(ordersOf(topics), 'c', null, orderRow(2, 7), 11),
        ],
        avro,
      )
      running = worker.run(controller.signal)
      running.catch(() => undefined)
      const read = await readUntil([topics.output], (records) => records.length >= 2)
      const reader = new RecordReader((id) => registry.schemaById(id))
      const summaries: string[] = []
      for (const record of read) {
        const bytes = record.value
        assert.ok(bytes !== null)
        assert.equal(bytes[0], 0, 'Confluent wire format')
        const part = await reader.read(bytes, 'output')
        const value = part.value
        assert.ok(isStructValue(value))
        const stream = value.stream
        const table = value.table
        const ref = value.tableRef
        assert.ok(isStructValue(stream) && isStructValue(stream.after) && isStructValue(ref))
        const name = isStructValue(table) ? text(table.name) : 'null'
        summaries.push(`O${text(stream.after.id)} ${name} ${text(ref.status)}`)
      }
      assert.deepEqual(summaries.sort(), ['O1 A found', 'O2 null absent'])
      const latest = await registry.latestVersion(`${topics.output}-value`)
      assert.ok(latest !== undefined, 'the output schema is registered')
    } finally {
      controller.abort()
      await running
      await producer.close()
    }
  })
})
