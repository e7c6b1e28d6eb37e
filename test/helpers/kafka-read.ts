// Reads topics back with kafkajs, a client independent of the one the service writes
// with, read_committed, so checks do not share the writer's bugs.
import { Kafka, logLevel } from 'kafkajs'
import { testEnv } from './env.ts'
import { uniqueName } from './names.ts'
import { waitFor } from './wait-for.ts'

export interface ReadRecord {
  topic: string
  partition: number
  offset: string
  /** The record's timestamp (ms since the epoch; the producer's create time by default). */
  timestamp: number
  key: Buffer | null
  value: Buffer | null
  headers: Record<string, string>
}

const kafka = new Kafka({
  clientId: 'test-reader',
  brokers: [...testEnv.kafkaBrokers],
  logLevel: logLevel.NOTHING,
})

/**
 * Reads `topics` from the beginning until `done(records)` holds, then returns what was
 * read. Fails after `timeoutMs` with how many records it had.
 */
export async function readUntil(
  topics: readonly string[],
  done: (records: readonly ReadRecord[]) => boolean,
  timeoutMs = 30_000,
): Promise<ReadRecord[]> {
  const records: ReadRecord[] = []
  // The writer creates topics with its first record; wait for them rather than fail.
  const admin = kafka.admin()
  await admin.connect()
  try {
    await waitFor(
      `topics ${topics.join(', ')} to exist`,
      async () => {
        const existing = new Set(await admin.listTopics())
        return topics.every((t) => existing.has(t)) ? true : undefined
      },
      { timeoutMs },
    )
  } finally {
    await admin.disconnect()
  }
  const consumer = kafka.consumer({ groupId: uniqueName('test_read'), readUncommitted: false })
  await consumer.connect()
  try {
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        const headers: Record<string, string> = {}
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          if (value !== undefined)
            headers[name] = Array.isArray(value) ? String(value[0]) : String(value)
        }
        records.push({
          topic,
          partition,
          offset: message.offset,
          timestamp: Number(message.timestamp),
          key: message.key,
          value: message.value,
          headers,
        })
        return Promise.resolve()
      },
    })
    await waitFor(
      `records on ${topics.join(', ')} (have ${records.length})`,
      () => (done(records) ? true : undefined),
      {
        timeoutMs,
      },
    )
    return records
  } finally {
    await consumer.disconnect()
  }
}

/** Parses a JsonConverter value (with or without the schema wrapper). */
export function jsonPayload(value: Buffer | null): Record<string, unknown> | null {
  if (value === null) return null
  const parsed = JSON.parse(value.toString()) as Record<string, unknown>
  return 'payload' in parsed && 'schema' in parsed
    ? (parsed.payload as Record<string, unknown>)
    : parsed
}

/**
 * Reads everything `topic` holds at the time of the call (up to each partition's high
 * watermark), for checks that must see the whole log, repeats included. Meant for topics
 * written without Kafka transactions: a transaction marker at the end of a partition is
 * never delivered, so a read_committed reader would wait for it in vain.
 */
export async function readAll(topic: string, timeoutMs = 60_000): Promise<ReadRecord[]> {
  const admin = kafka.admin()
  await admin.connect()
  let ends: Map<number, bigint>
  try {
    const offsets = await admin.fetchTopicOffsets(topic)
    ends = new Map(offsets.map((entry) => [entry.partition, BigInt(entry.high)]))
  } finally {
    await admin.disconnect()
  }
  return readUntil(
    [topic],
    (records) => {
      const reached = new Map<number, bigint>()
      for (const record of records) {
        const next = BigInt(record.offset) + 1n
        if (next > (reached.get(record.partition) ?? 0n)) reached.set(record.partition, next)
      }
      return [...ends].every(([partition, high]) => (reached.get(partition) ?? 0n) >= high)
    },
    timeoutMs,
  )
}
