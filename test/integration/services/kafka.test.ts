// Proves the broker started by scripts/services.sh is a real Kafka that supports what the
// sink relies on: idempotent producers and transactions seen through read_committed.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs'
import { testEnv } from '../../helpers/env.ts'
import { uniqueName } from '../../helpers/names.ts'
import { waitFor } from '../../helpers/wait-for.ts'

const kafka = new Kafka({
  clientId: 'services-smoke',
  brokers: [...testEnv.kafkaBrokers],
  logLevel: logLevel.NOTHING,
})

async function readAll(consumer: Consumer, topic: string, expected: number): Promise<string[]> {
  const seen: string[] = []
  await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({
    eachMessage: ({ message }) => {
      seen.push(message.value?.toString() ?? '<null>')
      return Promise.resolve()
    },
  })
  await waitFor(`${expected} records on ${topic}`, () =>
    seen.length >= expected ? true : undefined,
  )
  return seen
}

describe('services: Kafka', () => {
  let admin: Admin
  before(async () => {
    admin = kafka.admin()
    await admin.connect()
  })
  after(async () => {
    await admin.disconnect()
  })

  it('an idempotent producer writes and a consumer reads the records back in order', async () => {
    const topic = uniqueName('smoke_idempotent')
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    await producer.send({
      topic,
      acks: -1,
      messages: ['one', 'two', 'three'].map((value) => ({ key: 'k', value })),
    })
    await producer.disconnect()

    const consumer = kafka.consumer({ groupId: uniqueName('smoke_group') })
    await consumer.connect()
    try {
      assert.deepEqual(await readAll(consumer, topic, 3), ['one', 'two', 'three'])
    } finally {
      await consumer.disconnect()
    }
  })

  it('a read_committed consumer sees the committed transaction and not the aborted one', async () => {
    const topic = uniqueName('smoke_tx')
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })
    const producer = kafka.producer({
      transactionalId: uniqueName('smoke_txid'),
      idempotent: true,
      maxInFlightRequests: 1,
    })
    await producer.connect()
    const aborted = await producer.transaction()
    await aborted.send({ topic, messages: [{ value: 'aborted' }] })
    await aborted.abort()
    const committed = await producer.transaction()
    await committed.send({ topic, messages: [{ value: 'committed' }] })
    await committed.commit()
    // A marker after both, so the consumer knows it has read past them.
    await producer.disconnect()
    const marker = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
    await marker.connect()
    await marker.send({ topic, acks: -1, messages: [{ value: 'end' }] })
    await marker.disconnect()

    const consumer = kafka.consumer({ groupId: uniqueName('smoke_group'), readUncommitted: false })
    await consumer.connect()
    try {
      assert.deepEqual(await readAll(consumer, topic, 2), ['committed', 'end'])
    } finally {
      await consumer.disconnect()
    }
  })
})
