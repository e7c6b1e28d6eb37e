import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { KafkaAdmin } from '../../../kafka/kafka-admin.ts'
import { KafkaProducer } from '../../../kafka/kafka-producer.ts'
import type { KafkaSettings } from '../../../kafka/kafka-settings.ts'
import { TopicReader, type IncomingRecord } from '../../../kafka/topic-reader.ts'
import { testEnv } from '../../helpers/env.ts'
import { uniqueName } from '../../helpers/names.ts'

const settings: KafkaSettings = { brokers: testEnv.kafkaBrokers, clientId: 'test-topic-reader' }

describe('kafka/topic-reader', () => {
  const admin = new KafkaAdmin(settings)
  const producer = new KafkaProducer(settings)
  const topics: string[] = []
  after(async () => {
    await admin.deleteTopics(topics).catch(() => undefined)
    await producer.close()
    await admin.close()
  })

  it('reads a compacted topic to its end, keys, tombstones and headers included, then follows it', async () => {
    const topic = uniqueName('reader')
    topics.push(topic)
    await admin.ensureTopic({
      name: topic,
      partitions: 2,
      replicationFactor: 1,
      configs: { 'cleanup.policy': 'compact' },
    })
    await producer.send([
      { topic, key: Buffer.from('a'), value: Buffer.from('1'), headers: { h: 'x' } },
      { topic, key: Buffer.from('b'), value: Buffer.from('2') },
      { topic, key: Buffer.from('a'), value: null },
    ])
    const seen: IncomingRecord[] = []
    const reader = new TopicReader(settings, admin, topic)
    try {
      await reader.start((record) => seen.push(record))
      assert.equal(seen.length, 3)
      const byKey = (key: string) => seen.filter((r) => r.key?.toString() === key)
      assert.deepEqual(
        byKey('a').map((r) => r.value?.toString() ?? null),
        ['1', null],
      )
      assert.equal(byKey('a')[0]?.headers.get('h'), 'x')
      assert.equal(byKey('b')[0]?.value?.toString(), '2')

      await producer.send([{ topic, key: Buffer.from('c'), value: Buffer.from('later') }])
      await reader.catchUp()
      assert.equal(seen.at(-1)?.value?.toString(), 'later')
      assert.equal(seen.at(-1)?.key?.toString(), 'c')
    } finally {
      await reader.close()
    }
  })

  it('never delivers an aborted transaction and delivers a committed one', async () => {
    const topic = uniqueName('reader_tx')
    topics.push(topic)
    await admin.ensureTopic({ name: topic, partitions: 1, replicationFactor: 1 })
    const transactional = new KafkaProducer(settings, { transactionalId: uniqueName('txid') })
    try {
      const aborted = await transactional.beginTransaction()
      await aborted.send([{ topic, key: null, value: Buffer.from('aborted') }])
      await aborted.abort()
      const committed = await transactional.beginTransaction()
      await committed.send([{ topic, key: Buffer.from('k'), value: Buffer.from('committed') }])
      await committed.commit()
    } finally {
      await transactional.close()
    }
    const seen: string[] = []
    const reader = new TopicReader(settings, admin, topic)
    try {
      await reader.start((record) =>
        seen.push(
          `${record.key?.toString() ?? '<null key>'}=${record.value?.toString() ?? '<null>'}`,
        ),
      )
      assert.deepEqual(seen, ['k=committed'])
    } finally {
      await reader.close()
    }
  })
})
