import type { ChangeEvent } from './change-event.ts'
import type { ChangeRecord } from './change-record.ts'
import type { StructSchema } from './connect-schema.ts'

/**
 * Transaction boundary records on `<topic.prefix>.transaction`, as Debezium writes them when
 * `provide.transaction.metadata=true`: a BEGIN when a transaction's first event is seen and
 * an END with the event counts per table once it is over.
 */

const requiredString = { type: 'string', optional: false } as const
const requiredInt64 = { type: 'int64', optional: false } as const

export const transactionKeySchema: StructSchema = {
  type: 'struct',
  optional: false,
  name: 'io.debezium.connector.common.TransactionMetadataKey',
  version: 1,
  fields: [{ name: 'id', schema: requiredString }],
}

const dataCollectionSchema: StructSchema = {
  type: 'struct',
  optional: true,
  name: 'event.collection',
  version: 1,
  fields: [
    { name: 'data_collection', schema: requiredString },
    { name: 'event_count', schema: requiredInt64 },
  ],
}

export const transactionValueSchema: StructSchema = {
  type: 'struct',
  optional: false,
  name: 'io.debezium.connector.common.TransactionMetadataValue',
  version: 1,
  fields: [
    { name: 'status', schema: requiredString },
    { name: 'id', schema: requiredString },
    { name: 'event_count', schema: { type: 'int64', optional: true } },
    {
      name: 'data_collections',
      schema: { type: 'array', optional: true, items: dataCollectionSchema },
    },
    { name: 'ts_ms', schema: requiredInt64 },
  ],
}

export interface DataCollectionCount {
  /** `schema.table` (PostgreSQL) or `database.table` (MySQL). */
  dataCollection: string
  eventCount: bigint
}

export function transactionBeginRecord(topic: string, id: string, tsMs: bigint): ChangeRecord {
  return boundaryRecord(topic, id, {
    status: 'BEGIN',
    id,
    event_count: null,
    data_collections: null,
    ts_ms: tsMs,
  })
}

export function transactionEndRecord(
  topic: string,
  id: string,
  tsMs: bigint,
  collections: readonly DataCollectionCount[],
): ChangeRecord {
  const eventCount = collections.reduce((sum, collection) => sum + collection.eventCount, 0n)
  return boundaryRecord(topic, id, {
    status: 'END',
    id,
    event_count: eventCount,
    data_collections: collections.map((collection) => ({
      data_collection: collection.dataCollection,
      event_count: collection.eventCount,
    })),
    ts_ms: tsMs,
  })
}

function boundaryRecord(
  topic: string,
  id: string,
  value: NonNullable<ChangeRecord['value']>['value'],
): ChangeRecord {
  return {
    topic,
    key: { schema: transactionKeySchema, value: { id } },
    value: { schema: transactionValueSchema, value },
  }
}

/** The data collection name Debezium counts an event under. */
export function dataCollectionOf(event: ChangeEvent): string {
  if (event.kind === 'message') return 'LOGICAL_DECODING_MESSAGE'
  if (event.kind === 'schemaChange') return event.databaseName
  const { database, schema, table } = event.table.id
  return schema === '' ? `${database}.${table}` : `${schema}.${table}`
}

/**
 * Follows the events of one connector in order and says which boundary records to write
 * before each, the way Debezium's TransactionMonitor does: a new transaction id ends the
 * open transaction and begins the next; `end` closes the open one at a commit.
 */
export class TransactionMetadataTracker {
  readonly #topic: string
  #open: { id: string; counts: Map<string, bigint>; lastTsMs: bigint } | null = null

  /** `topic` is `<topic.prefix>.transaction`. */
  constructor(topic: string) {
    this.#topic = topic
  }

  /** Boundary records to write before `event`; events without a transaction block need none. */
  before(event: ChangeEvent): ChangeRecord[] {
    const transaction = event.transaction
    if (transaction === undefined) return []
    const records: ChangeRecord[] = []
    if (this.#open?.id !== transaction.id) {
      const tsMs = sourceMillis(event)
      records.push(...this.end(tsMs))
      records.push(transactionBeginRecord(this.#topic, transaction.id, tsMs))
      this.#open = { id: transaction.id, counts: new Map(), lastTsMs: tsMs }
    }
    this.#open.lastTsMs = sourceMillis(event)
    const collection = dataCollectionOf(event)
    this.#open.counts.set(collection, (this.#open.counts.get(collection) ?? 0n) + 1n)
    return records
  }

  /**
   * The END record of the open transaction, if there is one, stamped `tsMs` or else with the
   * source time of its last event (the commit time, for the connectors here).
   */
  end(tsMs?: bigint): ChangeRecord[] {
    if (this.#open === null) return []
    const { id, counts, lastTsMs } = this.#open
    this.#open = null
    const collections = [...counts].map(([dataCollection, eventCount]) => ({
      dataCollection,
      eventCount,
    }))
    return [transactionEndRecord(this.#topic, id, tsMs ?? lastTsMs, collections)]
  }
}

// BEGIN and END carry the source's timestamp (the commit time), like Debezium's.
function sourceMillis(event: ChangeEvent): bigint {
  const tsMs = event.source.value.ts_ms
  return typeof tsMs === 'bigint' ? tsMs : BigInt(event.tsMs)
}
