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
