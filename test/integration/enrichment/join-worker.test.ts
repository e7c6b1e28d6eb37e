// The join worker on the real broker: customers and orders change topics in our change
// record format, the left join's found/absent/deleted statuses (joins.md §6.4 S3, S1c,
// S5), read back read_committed with kafkajs; a restart neither repeats nor loses output.
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { defaultJoinGroupId, JoinWorker } from '../../../enrichment/join-worker.ts'
import { KafkaAdmin } from '../../../kafka/kafka-admin.ts'
import { KafkaProducer } from '../../../kafka/kafka-producer.ts'
import type { KafkaSettings } from '../../../kafka/kafka-settings.ts'
import { testEnv } from '../../helpers/env.ts'
import type { ReadRecord } from '../../helpers/kafka-read.ts'
import { readUntil } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
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

const settings: KafkaSettings = { brokers: testEnv.kafkaBrokers, clientId: 'test-join-worker' }

interface Summary {
  key: string
  text: string
}

function summarize(record: ReadRecord): Summary {
  const key = (JSON.parse(record.key?.toString() ?? 'null') as { payload: { id: number } }).payload
    .id
  if (record.value === null) return { key: `O${key}`, text: `O${key} tombstone` }
  const value = JSON.parse(record.value.toString()) as {
    op: string
    table: { name: string } | null
    tableRef: { status: string }
  }
  return {
    key: `O${key}`,
    text: `O${key} ${value.op} ${value.table?.name ?? 'null'} ${value.tableRef.status}`,
  }
}

/** Outputs in order per stream key (partitions interleave arbitrarily). */
function byKey(records: readonly ReadRecord[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const summary of records.map(summarize)) (out[summary.key] ??= []).push(summary.text)
  return out
}

async function committed(groupId: string, topic: string): Promise<Map<number, string>> {
  const kafka = new Kafka({ brokers: [...testEnv.kafkaBrokers], logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] })
    // -1 (nothing committed) is where an empty partition starts anyway.
    return new Map(
      (entry?.partitions ?? []).map((p) => [p.partition, p.offset === '-1' ? '0' : p.offset]),
    )
  } finally {
    await admin.disconnect()
  }
}

describe('join worker', () => {
  const admin = new KafkaAdmin(settings)
  const topics = joinTopics('jw')
  const config = joinConfig(topics)
  const groupId = defaultJoinGroupId(config)
  after(async () => {
    await admin
      .deleteTopics([topics.customers, topics.orders, topics.output])
      .catch(() => undefined)
    await admin.deleteGroups([groupId]).catch(() => undefined)
    await admin.close()
    rmSync(topics.stateDir, { recursive: true, force: true })
  })

  it('writes left-join results exactly once, across a restart', async () => {
    await admin.ensureTopic({ name: topics.customers, partitions: 2, replicationFactor: 1 })
    await admin.ensureTopic({ name: topics.orders, partitions: 2, replicationFactor: 1 })
    const customers = customersOf(topics)
    const orders = ordersOf(topics)
    const producer = new KafkaProducer(settings)
    const start = (): { stop: () => Promise<void> } => {
      const controller = new AbortController()
      const worker = new JoinWorker({ config, kafka: { ...settings, clientId: uniqueName('jw') } })
      const running = worker.run(controller.signal)
      // Surface a failure at once instead of as a timeout of the read below.
      running.catch(() => undefined)
      return {
        stop: async () => {
          controller.abort()
          await running
        },
      }
    }
    let first: { stop: () => Promise<void> } | undefined
    try {
      await writeEvents(producer, [
        change(customers, 'c', null, customerRow(1, 'A'), 5),
        change(customers, 'c', null, customerRow(2, 'B'), 6),
        change(customers, 'd', customerRow(2, 'B'), null, 20),
      ])
      await writeEvents(producer, [
        change(orders, 'c', null, orderRow(1, 1), 10),
        change(orders, 'c', null, orderRow(2, 9), 11),
      ])
      first = start()
      // Orders written while the join runs.
      await writeEvents(producer, [
        change(orders, 'c', null, orderRow(3, 2), 21),
        change(orders, 'd', orderRow(1, 1), null, 30),
      ])
      const expected = {
        O1: ['O1 c A found', 'O1 d A found', 'O1 tombstone'],
        O2: ['O2 c null absent'],
        O3: ['O3 c null deleted'],
      }
      const read = await readUntil([topics.output], (records) => records.length >= 5)
      assert.deepEqual(byKey(read), expected)
      await first.stop()
      first = undefined

      // A clean stop committed every order offset with the outputs.
      const ends = await admin.endOffsets(topics.orders, 2)
      assert.deepEqual(
        await committed(groupId, topics.orders),
        new Map([...ends].map(([partition, end]) => [partition, end.toString()])),
      )

      // Restarted on the same state: only the new order is answered.
      const second = start()
      try {
        await writeEvents(producer, [change(orders, 'c', null, orderRow(4, 1), 40)])
        const again = await readUntil([topics.output], (records) =>
          records.some((record) => summarize(record).key === 'O4'),
        )
        assert.deepEqual(byKey(again), { ...expected, O4: ['O4 c A found'] })
      } finally {
        await second.stop()
      }
    } finally {
      await first?.stop().catch(() => undefined)
      await producer.close()
    }
  })
})
