// Contract of kafka/transactional-consumer.ts on the real broker: output records and the
// group's offsets commit in one transaction; an aborted transaction leaves neither.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { KafkaAdmin } from '../../../kafka/kafka-admin.ts'
import { KafkaProducer } from '../../../kafka/kafka-producer.ts'
import type { KafkaSettings } from '../../../kafka/kafka-settings.ts'
import type { GroupRecord } from '../../../kafka/transactional-consumer.ts'
import {
  KafkaGroupConsumer,
  KafkaTransactionalProducer,
} from '../../../kafka/transactional-consumer.ts'
import { testEnv } from '../../helpers/env.ts'
import { readUntil } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
import { waitFor } from '../../helpers/wait-for.ts'

const settings: KafkaSettings = { brokers: testEnv.kafkaBrokers, clientId: 'test-txn-consumer' }

async function committedOffsets(groupId: string, topic: string): Promise<Map<number, string>> {
  const kafka = new Kafka({ brokers: [...testEnv.kafkaBrokers], logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] })
    return new Map((entry?.partitions ?? []).map((p) => [p.partition, p.offset]))
  } finally {
    await admin.disconnect()
  }
}

describe('transactional consume-transform-produce', () => {
  const admin = new KafkaAdmin(settings)
  const input = uniqueName('txc_in')
  const output = uniqueName('txc_out')
  const groupId = uniqueName('txc_group')
  after(async () => {
    await admin.deleteTopics([input, output]).catch(() => undefined)
    await admin.deleteGroups([groupId]).catch(() => undefined)
    await admin.close()
  })

  it('commits outputs and offsets together; an abort leaves neither', async () => {
    await admin.ensureTopic({ name: input, partitions: 2, replicationFactor: 1 })
    await admin.ensureTopic({ name: output, partitions: 1, replicationFactor: 1 })
    const plain = new KafkaProducer(settings)
    await plain.send(
      Array.from({ length: 10 }, (_, i) => ({
        topic: input,
        key: Buffer.from(`k${i}`),
        value: Buffer.from(`v${i}`),
      })),
    )
    await plain.close()

    const consumer = new KafkaGroupConsumer(settings, { groupId, topic: input })
    const producer = new KafkaTransactionalProducer(settings, uniqueName('txc_id'))
    const seen: GroupRecord[] = []
    try {
      await consumer.start(
        (record) => seen.push(record),
        () => undefined,
        (error) => {
          throw error
        },
      )
      await waitFor('10 input records', () => (seen.length === 10 ? true : undefined))
      const next = new Map<number, bigint>()
      for (const record of seen) {
        const current = next.get(record.partition) ?? 0n
        if (record.offset + 1n > current) next.set(record.partition, record.offset + 1n)
      }
      const outputs = seen.map((record) => ({
        topic: output,
        key: record.key,
        value: Buffer.from(`out-${record.value?.toString() ?? ''}`),
      }))

      // Aborted: nothing visible, no offsets.
      await producer.commit(
        [...outputs, { topic: output, key: null, value: Buffer.from('aborted') }],
        { consumer, topic: input, nextOffsets: next },
        { abortInstead: true },
      )
      const afterAbort = await committedOffsets(groupId, input)
      assert.deepEqual(
        [...afterAbort.values()].filter((offset) => offset !== '-1'),
        [],
        'an aborted transaction commits no offsets',
      )

      // Committed: all outputs and the offsets.
      await producer.commit(outputs, { consumer, topic: input, nextOffsets: next })
      // A later committed record proves the reader got past the aborted ones.
      await producer.commit([{ topic: output, key: null, value: Buffer.from('end') }], null)
      const read = await readUntil([output], (records) =>
        records.some((record) => record.value?.toString() === 'end'),
      )
      const values = read.map((record) => record.value?.toString())
      assert.equal(values.includes('aborted'), false)
      assert.deepEqual(
        values.filter((value) => value !== 'end').sort(),
        seen.map((record) => `out-${record.value?.toString() ?? ''}`).sort(),
      )
      const offsets = await committedOffsets(groupId, input)
      assert.deepEqual(
        new Map([...offsets].filter(([, o]) => o !== '-1')),
        new Map([...next].map(([p, o]) => [p, o.toString()])),
      )
    } finally {
      await consumer.close()
      await producer.close()
    }
  })
})
