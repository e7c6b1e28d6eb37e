// Customers and orders change topics written in our own change-record format (the envelope
// code and JSON encoder the connectors and sink use), and a join config over them.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import type { RowChangeEvent } from '../../../envelope/change-event.ts'
import type { ChangeRecord } from '../../../envelope/change-record.ts'
import type { StructValue } from '../../../envelope/connect-schema.ts'
import { buildChangeRecords } from '../../../envelope/debezium-envelope.ts'
import type { TableSchema } from '../../../envelope/table-schema.ts'
import type { JoinConfig } from '../../../enrichment/join-config.ts'
import { parseJoinConfig } from '../../../enrichment/join-config.ts'
import type { KafkaProducer, OutgoingRecord } from '../../../kafka/kafka-producer.ts'
import type { RecordEncoder } from '../../../kafka/kafka-change-sink.ts'
import { JsonRecordEncoder } from '../../../kafka/record-encoders.ts'
import { customersTable, ordersTable, pgEvent } from '../../unit/enrichment/record-fixtures.ts'
import { testEnv } from '../../helpers/env.ts'
import type { ReadRecord } from '../../helpers/kafka-read.ts'
import { readUntil } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'

export interface JoinTopics {
  customers: string
  orders: string
  output: string
  stateDir: string
}

export function joinTopics(prefix: string): JoinTopics {
  return {
    customers: uniqueName(`${prefix}_customers`),
    orders: uniqueName(`${prefix}_orders`),
    output: uniqueName(`${prefix}_out`),
    stateDir: mkdtempSync(join(tmpdir(), `${prefix}-state-`)),
  }
}

export function joinConfig(topics: JoinTopics, extra: Record<string, string> = {}): JoinConfig {
  return parseJoinConfig({
    name: uniqueName('join'),
    'connector.class': 'stream-table-join',
    'stream.topic': topics.orders,
    'table.topic': topics.customers,
    'stream.foreign.key': 'customer_id',
    'output.topic': topics.output,
    'idle.grace.ms': '100',
    'max.wait.ms': '10000',
    // The fixtures' events are from 2023: keep their versions (no 'expired').
    'table.history.retention.ms': String(20 * 365 * 24 * 60 * 60 * 1000),
    'state.dir': topics.stateDir,
    ...extra,
  })
}

const encoder = new JsonRecordEncoder({ keySchemasEnable: true, valueSchemasEnable: true })

/** A change at position @commit (its own PostgreSQL transaction). */
export function change(
  table: TableSchema,
  op: RowChangeEvent['op'],
  before: StructValue | null,
  after: StructValue | null,
  commit: number,
): RowChangeEvent {
  return pgEvent(table, op, before, after, { lastCommit: BigInt(commit), lsn: BigInt(commit) })
}

export const customerRow = (id: number, name: string): StructValue => ({
  id: BigInt(id),
  name,
  credit: null,
})

export const orderRow = (id: number, customerId: number, note = `order ${id}`): StructValue => ({
  id: BigInt(id),
  customer_id: BigInt(customerId),
  note,
})

export function customersOf(topics: JoinTopics): TableSchema {
  return { ...customersTable, topic: topics.customers }
}

export function ordersOf(topics: JoinTopics): TableSchema {
  return { ...ordersTable, topic: topics.orders }
}

/** Writes the events' change records (with tombstones after deletes), in order. */
export async function writeEvents(
  producer: KafkaProducer,
  events: readonly RowChangeEvent[],
  using: RecordEncoder = encoder,
): Promise<void> {
  await writeRecords(
    producer,
    events.flatMap((event) => buildChangeRecords(event)),
    using,
  )
}

/** Writes change records (e.g. transaction boundaries) as the sink would, in order. */
export async function writeRecords(
  producer: KafkaProducer,
  changeRecords: readonly ChangeRecord[],
  using: RecordEncoder = encoder,
): Promise<void> {
  const records: OutgoingRecord[] = []
  for (const record of changeRecords) {
    const encoded = await using.encode(record)
    records.push({ topic: record.topic, key: encoded.key, value: encoded.value })
  }
  await producer.send(records)
}

/**
 * Everything read_committed readers see on `topic` now, duplicates included: a sentinel
 * record is written to each partition outside any transaction and the topic read until
 * every sentinel arrived (a transaction marker at a partition's end is never delivered,
 * so reading up to the end offsets could wait forever). Sentinels are left out.
 */
export async function readAllCommitted(topic: string, partitions: number): Promise<ReadRecord[]> {
  const kafka = new Kafka({ brokers: [...testEnv.kafkaBrokers], logLevel: logLevel.NOTHING })
  const plain = kafka.producer()
  await plain.connect()
  const sentinel = `sentinel-${uniqueName('s')}`
  try {
    await plain.send({
      topic,
      messages: Array.from({ length: partitions }, (_, partition) => ({
        partition,
        value: sentinel,
      })),
    })
  } finally {
    await plain.disconnect()
  }
  const isSentinel = (record: ReadRecord): boolean => record.value?.toString() === sentinel
  const records = await readUntil(
    [topic],
    (read) => read.filter(isSentinel).length === partitions,
    120_000,
  )
  return records.filter((record) => !isSentinel(record))
}
