// Contract of kafka/transactional-consumer.ts on the real broker: output records and the
// group's offsets commit in one transaction; an aborted transaction leaves neither. A
// partition's new owner starts from stable offsets only (joins.md §6.4 S6c), a restarted
// producer ends its predecessor's transaction at once, and a commit is fenced by the group
// generation its records were read under.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { isCdcError } from '../../../common/errors.ts'
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

// Group joins take seconds, more on a loaded machine.
const patient = { timeoutMs: 60_000 }
const kafkajs = new Kafka({ brokers: [...testEnv.kafkaBrokers], logLevel: logLevel.NOTHING })

/** Ten records `v0`..`v9` on partition 0 of a new one-partition topic. */
async function inputTopic(admin: KafkaAdmin, name: string): Promise<void> {
  await admin.ensureTopic({ name, partitions: 1, replicationFactor: 1 })
  // kafkajs waits for a topic that was just created to be known to the broker it asks.
  const plain = kafkajs.producer()
  await plain.connect()
  await plain.send({
    topic: name,
    messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })),
  })
  await plain.disconnect()
}

/**
 * A transaction of another producer (kafkajs, the id given) left open: one output record
 * and offset 5 of partition 0 for the group, pending until the returned transaction ends.
 */
async function openTransaction(
  transactionalId: string,
  groupId: string,
  input: string,
  output: string,
) {
  const producer = kafkajs.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  const transaction = await producer.transaction()
  await transaction.send({ topic: output, messages: [{ value: 'zombie' }] })
  await transaction.sendOffsets({
    consumerGroupId: groupId,
    topics: [{ topic: input, partitions: [{ partition: 0, offset: '5' }] }],
  })
  return { producer, transaction }
}

/** Whether the group has a member with an assignment (it then fetches its offsets). */
async function assigned(groupId: string): Promise<true | undefined> {
  const admin = kafkajs.admin()
  await admin.connect()
  try {
    const { groups } = await admin.describeGroups([groupId])
    return groups[0]?.state === 'Stable' && groups[0].members.length > 0 ? true : undefined
  } finally {
    await admin.disconnect()
  }
}

describe('transactional consume-transform-produce', () => {
  const admin = new KafkaAdmin(settings)
  const input = uniqueName('txc_in')
  const output = uniqueName('txc_out')
  const groupId = uniqueName('txc_group')
  const topics: string[] = [input, output]
  const groups: string[] = [groupId]
  after(async () => {
    await admin.deleteTopics(topics).catch(() => undefined)
    await admin.deleteGroups(groups).catch(() => undefined)
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

  it('starts a partition at stable offsets: a transaction still holding offsets is waited for', async () => {
    const from = uniqueName('txc_stable_in')
    const to = uniqueName('txc_stable_out')
    const group = uniqueName('txc_stable_group')
    topics.push(from, to)
    groups.push(group)
    await inputTopic(admin, from)
    await admin.ensureTopic({ name: to, partitions: 1, replicationFactor: 1 })
    // The previous owner, stalled between committing offsets and ending its transaction.
    const zombie = await openTransaction(uniqueName('txc_zombie'), group, from, to)
    const consumer = new KafkaGroupConsumer(settings, { groupId: group, topic: from })
    const seen: bigint[] = []
    try {
      await consumer.start(
        (record) => seen.push(record.offset),
        () => undefined,
        (error) => {
          throw error
        },
      )
      await waitFor('the consumer to be assigned the partition', () => assigned(group), patient)
      // The previous owner's transaction commits after the new owner fetched its offsets.
      await zombie.transaction.commit()
      await waitFor('records 5..9', () => (seen.length >= 5 ? true : undefined), patient)
      assert.deepEqual(seen, [5n, 6n, 7n, 8n, 9n], 'records the transaction committed are skipped')
    } finally {
      await consumer.close()
      await zombie.producer.disconnect()
    }
  })

  it('init() fences an older producer with the same id and aborts its open transaction', async () => {
    const from = uniqueName('txc_fence_in')
    const to = uniqueName('txc_fence_out')
    const group = uniqueName('txc_fence_group')
    const transactionalId = uniqueName('txc_fence_id')
    topics.push(from, to)
    groups.push(group)
    await inputTopic(admin, from)
    await admin.ensureTopic({ name: to, partitions: 1, replicationFactor: 1 })
    const zombie = await openTransaction(transactionalId, group, from, to)
    const producer = new KafkaTransactionalProducer(settings, transactionalId)
    const consumer = new KafkaGroupConsumer(settings, { groupId: group, topic: from })
    const seen: bigint[] = []
    try {
      await producer.init()
      await assert.rejects(zombie.transaction.commit(), 'the older producer is fenced')
      // Its offsets went with the aborted transaction: the group starts from the beginning.
      await consumer.start(
        (record) => seen.push(record.offset),
        () => undefined,
        (error) => {
          throw error
        },
      )
      await waitFor('records 0..9', () => (seen.length >= 10 ? true : undefined), patient)
      assert.equal(seen[0], 0n)
      await producer.commit([{ topic: to, key: null, value: Buffer.from('end') }], null)
      const read = await readUntil([to], (records) =>
        records.some((record) => record.value?.toString() === 'end'),
      )
      assert.deepEqual(
        read.map((record) => record.value?.toString()),
        ['end'],
        'nothing of the aborted transaction is visible',
      )
    } finally {
      await consumer.close()
      await producer.close()
      await zombie.producer.disconnect().catch(() => undefined)
    }
  })

  it('refuses to commit records read under an older group generation', async () => {
    const from = uniqueName('txc_gen_in')
    const to = uniqueName('txc_gen_out')
    const group = uniqueName('txc_gen_group')
    topics.push(from, to)
    groups.push(group)
    await admin.ensureTopic({ name: from, partitions: 2, replicationFactor: 1 })
    await admin.ensureTopic({ name: to, partitions: 1, replicationFactor: 1 })
    const generations: number[] = []
    const first = new KafkaGroupConsumer(settings, { groupId: group, topic: from })
    const second = new KafkaGroupConsumer(settings, { groupId: group, topic: from })
    const producer = new KafkaTransactionalProducer(settings, uniqueName('txc_gen_id'))
    const fail = (error: Error) => {
      throw error
    }
    try {
      await first.start(
        () => undefined,
        (_partitions, generation) => generations.push(generation),
        fail,
      )
      const old = await waitFor(
        'a first generation',
        () => generations.find((generation) => generation >= 0),
        patient,
      )
      await second.start(
        () => undefined,
        () => undefined,
        fail,
      )
      await waitFor(
        'a rebalance',
        () => (generations.some((g) => g > old) ? true : undefined),
        patient,
      )
      const offsets = { consumer: first, topic: from, nextOffsets: new Map([[0, 0n]]) }
      await assert.rejects(
        producer.commit([{ topic: to, key: null, value: Buffer.from('stale') }], {
          ...offsets,
          generation: old,
        }),
        (error: unknown) => isCdcError(error) && error.code === 'CDC_KAFKA_TRANSACTION_FAILED',
      )
      await producer.commit([{ topic: to, key: null, value: Buffer.from('end') }], null)
      const read = await readUntil([to], (records) =>
        records.some((record) => record.value?.toString() === 'end'),
      )
      assert.deepEqual(
        read.map((record) => record.value?.toString()),
        ['end'],
      )
    } finally {
      await first.close()
      await second.close()
      await producer.close()
    }
  })
})
