// Strict mode (joins.md §6.4 S11) on the real broker: with `transaction.topic`, a stream
// change is released as soon as its transaction's END record is read and every table
// change the END counts is applied, without the idle-grace wait. Here idle.grace.ms and
// max.wait.ms are ten minutes, so nothing could be released in time without it.
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import type { RowChangeEvent } from '../../../envelope/change-event.ts'
import { transactionEndRecord } from '../../../envelope/transaction-metadata.ts'
import { defaultJoinGroupId, JoinWorker } from '../../../enrichment/join-worker.ts'
import { KafkaAdmin } from '../../../kafka/kafka-admin.ts'
import { KafkaProducer } from '../../../kafka/kafka-producer.ts'
import type { KafkaSettings } from '../../../kafka/kafka-settings.ts'
import { testEnv } from '../../helpers/env.ts'
import type { ReadRecord } from '../../helpers/kafka-read.ts'
import { readUntil } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import {
  change,
  customerRow,
  customersOf,
  joinConfig,
  joinTopics,
  orderRow,
  ordersOf,
  writeEvents,
  writeRecords,
} from './join-fixtures.ts'

const settings: KafkaSettings = { brokers: testEnv.kafkaBrokers, clientId: 'test-join-strict' }
const tenMinutes = String(10 * 60_000)

/** The event as part of transaction `id`, at `order` within its table. */
function inTransaction(event: RowChangeEvent, id: string, order: number): RowChangeEvent {
  return {
    ...event,
    transaction: { id, totalOrder: BigInt(order), dataCollectionOrder: BigInt(order) },
  }
}

function summary(record: ReadRecord): string {
  const key = (JSON.parse(record.key?.toString() ?? 'null') as { payload: { id: number } }).payload
  const value = JSON.parse(record.value?.toString() ?? 'null') as {
    table: { name: string } | null
    tableRef: { status: string; synced: boolean }
  }
  return `O${key.id} ${value.table?.name ?? 'null'} ${value.tableRef.status} synced=${value.tableRef.synced}`
}

describe('join worker in strict mode', () => {
  const admin = new KafkaAdmin(settings)
  const topics = joinTopics('jst')
  const transactions = uniqueName('jst_transaction')
  const config = joinConfig(topics, {
    'transaction.topic': transactions,
    'idle.grace.ms': tenMinutes,
    'max.wait.ms': tenMinutes,
  })
  after(async () => {
    await admin
      .deleteTopics([topics.customers, topics.orders, topics.output, transactions])
      .catch(() => undefined)
    await admin.deleteGroups([defaultJoinGroupId(config)]).catch(() => undefined)
    await admin.close()
    rmSync(topics.stateDir, { recursive: true, force: true })
  })

  it('releases a change once its transaction END and the table changes it counts are in', async () => {
    for (const name of [topics.customers, topics.orders, transactions]) {
      await admin.ensureTopic({ name, partitions: 1, replicationFactor: 1 })
    }
    const customers = customersOf(topics)
    const orders = ordersOf(topics)
    const end = (id: string, counts: Record<string, number>) =>
      transactionEndRecord(
        transactions,
        id,
        1_700_000_000_000n,
        Object.entries(counts).map(([dataCollection, n]) => ({
          dataCollection,
          eventCount: BigInt(n),
        })),
      )
    const producer = new KafkaProducer(settings)
    const controller = new AbortController()
    let streaming = false
    const worker = new JoinWorker({
      config,
      kafka: { ...settings, clientId: uniqueName('jst') },
      monitor: {
        phase: (phase) => (streaming ||= phase === 'streaming'),
        eventsSeen: () => undefined,
      },
    })
    const running = worker.run(controller.signal)
    running.catch(() => undefined)
    try {
      // The transaction topic is read from where it ended when the join started.
      await waitFor('the join to stream', () => (streaming ? true : undefined), {
        timeoutMs: 60_000,
      })
      // T1: a customer. T2: an order of it, later than every customer change, so the
      // watermark rule would hold it for idle.grace.ms.
      await writeEvents(producer, [
        inTransaction(change(customers, 'c', null, customerRow(1, 'A'), 5), 't1', 1),
      ])
      await writeRecords(producer, [end('t1', { 'public.customers': 1 })])
      await writeEvents(producer, [
        inTransaction(change(orders, 'c', null, orderRow(1, 1), 10), 't2', 1),
      ])
      await writeRecords(producer, [end('t2', { 'public.orders': 1 })])
      // T3: an order and its customer in one transaction, the order first (S1b).
      await writeEvents(producer, [
        inTransaction(change(orders, 'c', null, orderRow(2, 2), 11), 't3', 1),
        inTransaction(change(customers, 'c', null, customerRow(2, 'B'), 11), 't3', 1),
      ])
      await writeRecords(producer, [end('t3', { 'public.orders': 1, 'public.customers': 1 })])
      const read = await readUntil([topics.output], (records) => records.length >= 2, 60_000)
      assert.deepEqual(read.map(summary).sort(), [
        'O1 A found synced=true',
        'O2 B found synced=true',
      ])
    } finally {
      controller.abort()
      await running
      await producer.close()
    }
  })
})
