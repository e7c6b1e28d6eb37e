// The sink end to end on real Kafka, against both registries (the embedded one, backed by
// a Kafka `_schemas` topic, and Apicurio): keys and tombstones, every op, a primary-key
// change, Avro read back by the standard Confluent client and by avsc with an evolved
// reader schema, and schema evolution checked by the registry before anything is written.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry'
import avsc from 'avsc'
import { CdcError } from '../../../common/errors.ts'
import { buildChangeRecords } from '../../../envelope/debezium-envelope.ts'
import { KafkaChangeSink } from '../../../kafka/kafka-change-sink.ts'
import { KafkaClient } from '../../../kafka/kafka-client.ts'
import { KafkaSchemaLog } from '../../../kafka/kafka-schema-log.ts'
import { AvroRecordEncoder } from '../../../kafka/record-encoders.ts'
import { TopicPolicy } from '../../../kafka/topic-policy.ts'
import { ConfluentRegistryClient } from '../../../registry/client/confluent-registry-client.ts'
import {
  createEmbeddedRegistry,
  type EmbeddedRegistry,
} from '../../../registry/embedded/embedded-registry.ts'
import { bigintLongType } from '../../helpers/avro-decode.ts'
import { testEnv } from '../../helpers/env.ts'
import { readUntil, type ReadRecord } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
import { customersTable, row, rowEvent, truncateEvent } from './sink-fixtures.ts'

const kafka = new KafkaClient({ brokers: testEnv.kafkaBrokers, clientId: 'test-change-sink' })
const createdTopics: string[] = []

async function newSink(
  registryUrl: string,
  connector: string,
  cleanupPolicy: 'compact' | 'delete' = 'compact',
  transactionTopic: string | null = null,
) {
  const offsetsTopic = uniqueName('offsets')
  createdTopics.push(offsetsTopic)
  // The service's OffsetStore creates this topic at start; here the test does.
  await kafka.admin.ensureTopic({
    name: offsetsTopic,
    partitions: 1,
    replicationFactor: 1,
    configs: { 'cleanup.policy': 'compact' },
  })
  const producer = kafka.producer()
  const sink = new KafkaChangeSink({
    connector,
    partition: { server: connector },
    offsetsTopic,
    producer,
    topics: new TopicPolicy(kafka.admin, {
      partitions: 1,
      replicationFactor: 1,
      changesCleanupPolicy: cleanupPolicy,
    }),
    toRecords: (event) => buildChangeRecords(event),
    encoder: new AvroRecordEncoder(new ConfluentRegistryClient({ url: registryUrl })),
    exactlyOnce: false,
    transactionTopic,
  })
  return { sink, producer, offsetsTopic }
}

type Decoded = { key: unknown; value: unknown; headers: Record<string, string> }

async function decodeAll(registryUrl: string, records: readonly ReadRecord[]): Promise<Decoded[]> {
  const standard = new SchemaRegistry(
    { host: registryUrl },
    { [SchemaType.AVRO]: { registry: { long: bigintLongType } } },
  )
  const out: Decoded[] = []
  for (const record of records) {
    out.push({
      key: record.key === null ? null : await standard.decode(record.key),
      value: record.value === null ? null : await standard.decode(record.value),
      headers: record.headers,
    })
  }
  return out
}

for (const registryKind of ['embedded', 'apicurio'] as const) {
  describe(`kafka/kafka-change-sink with the ${registryKind} registry`, () => {
    let embedded: EmbeddedRegistry | undefined
    let registryUrl = testEnv.apicurioUrl
    const schemasTopic = uniqueName('schemas')

    before(async () => {
      if (registryKind === 'embedded') {
        createdTopics.push(schemasTopic)
        embedded = createEmbeddedRegistry({ log: new KafkaSchemaLog(kafka, schemasTopic, 1) })
        registryUrl = await embedded.listen('127.0.0.1', 0)
      }
    })
    after(async () => {
      await embedded?.close()
    })

    it('writes every op keyed by primary key, a tombstone after each delete, and a key change as delete + tombstone + create', async () => {
      const topic = uniqueName('shop.public.customers')
      createdTopics.push(topic)
      const table = customersTable(topic)
      // Truncate events have a null key, which only a delete-policy topic accepts.
      const { sink, producer, offsetsTopic } = await newSink(
        registryUrl,
        uniqueName('sink'),
        'delete',
      )
      try {
        await sink.emit(rowEvent(table, 'r', null, row(1, 'Ada'), 1n))
        await sink.emit(rowEvent(table, 'c', null, row(2, 'Bo'), 2n))
        await sink.emit(rowEvent(table, 'u', row(2, 'Bo'), row(2, 'Bob'), 3n))
        await sink.emit(rowEvent(table, 'd', row(1, 'Ada'), null, 4n))
        await sink.emit(rowEvent(table, 'u', row(2, 'Bob'), row(3, 'Bob'), 5n))
        await sink.emit(truncateEvent(table, 6n))
        await sink.commit({ lsn: '6' })
      } finally {
        await sink.close()
        await producer.close()
      }
      const records = await readUntil([topic], (r) => r.length >= 9)
      const decoded = await decodeAll(registryUrl, records)
      const summary = decoded.map((d) => ({
        key: (d.key as { id?: number } | null)?.id ?? null,
        op: (d.value as { op?: string } | null)?.op ?? 'tombstone',
      }))
      assert.deepEqual(summary, [
        { key: 1, op: 'r' },
        { key: 2, op: 'c' },
        { key: 2, op: 'u' },
        { key: 1, op: 'd' },
        { key: 1, op: 'tombstone' },
        { key: 2, op: 'd' },
        { key: 2, op: 'tombstone' },
        { key: 3, op: 'c' },
        { key: null, op: 't' },
      ])
      assert.equal(decoded[5]?.headers['__debezium.newkey'], '{"id":3}')
      assert.equal(decoded[7]?.headers['__debezium.oldkey'], '{"id":2}')
      const update = decoded[2]?.value as {
        before: { name: string }
        after: { name: string }
        source: { lsn: bigint }
      }
      assert.equal(update.before.name, 'Bo')
      assert.equal(update.after.name, 'Bob')
      assert.equal(update.source.lsn, 3n)
      // The position was stored only after the records were written.
      const stored = await readUntil([offsetsTopic], (r) => r.length >= 1)
      assert.deepEqual(JSON.parse(stored[0]?.value?.toString() ?? 'null'), { lsn: '6' })
    })

    it('with provide.transaction.metadata, writes BEGIN before a transaction and END with its counts at its commit', async () => {
      const topic = uniqueName('shop.public.customers')
      const transactionTopic = uniqueName('shop.transaction')
      createdTopics.push(topic, transactionTopic)
      const table = customersTable(topic)
      const { sink, producer } = await newSink(
        registryUrl,
        uniqueName('sink'),
        'compact',
        transactionTopic,
      )
      const inTransaction = (
        event: ReturnType<typeof rowEvent>,
        id: string,
        order: bigint,
      ): ReturnType<typeof rowEvent> => ({
        ...event,
        transaction: { id, totalOrder: order, dataCollectionOrder: order },
      })
      try {
        // A snapshot event has no transaction block and no boundaries.
        await sink.emit(rowEvent(table, 'r', null, row(1, 'Ada'), 1n))
        await sink.commit({ lsn: '1' })
        await sink.emit(inTransaction(rowEvent(table, 'c', null, row(2, 'Bo'), 2n), '700', 1n))
        await sink.emit(
          inTransaction(rowEvent(table, 'u', row(2, 'Bo'), row(2, 'Bob'), 3n), '700', 2n),
        )
        // Not awaited: a commit followed at once by the next transaction keeps its END first.
        const first = sink.commit({ lsn: '3' })
        await sink.emit(inTransaction(rowEvent(table, 'd', row(2, 'Bob'), null, 4n), '701', 1n))
        await sink.commit({ lsn: '4' })
        await first
        // A heartbeat commit outside any transaction writes no END.
        await sink.commit({ lsn: '5' })
      } finally {
        await sink.close()
        await producer.close()
      }
      const records = await readUntil([transactionTopic], (r) => r.length >= 4)
      const decoded = await decodeAll(registryUrl, records)
      const summary = decoded.map((d) => {
        const value = d.value as {
          status: string
          id: string
          event_count: bigint | null
          data_collections: Array<{ data_collection: string; event_count: bigint }> | null
          ts_ms: bigint
        }
        return {
          key: (d.key as { id: string }).id,
          status: value.status,
          id: value.id,
          count: value.event_count,
          collections: value.data_collections?.map((c) => [c.data_collection, c.event_count]),
        }
      })
      const collection = `${table.id.schema}.${table.id.table}`
      assert.deepEqual(summary, [
        { key: '700', status: 'BEGIN', id: '700', count: null, collections: undefined },
        { key: '700', status: 'END', id: '700', count: 2n, collections: [[collection, 2n]] },
        { key: '701', status: 'BEGIN', id: '701', count: null, collections: undefined },
        { key: '701', status: 'END', id: '701', count: 1n, collections: [[collection, 1n]] },
      ])
    })

    it('keeps int64 and decimals exact, readable by avsc with an evolved reader schema', async () => {
      const topic = uniqueName('shop.public.customers')
      createdTopics.push(topic)
      const table = customersTable(topic)
      const { sink, producer } = await newSink(registryUrl, uniqueName('sink'))
      try {
        await sink.emit(
          rowEvent(table, 'c', null, row(7, 'Exact', { big: 9_223_372_036_854_775_807n }), 1n),
        )
        await sink.commit({ lsn: '1' })
      } finally {
        await sink.close()
        await producer.close()
      }
      const [record] = await readUntil([topic], (r) => r.length >= 1)
      assert.ok(record?.value)
      assert.equal(record.value.readUInt8(0), 0)
      const id = record.value.readInt32BE(1)
      const writerText = await new ConfluentRegistryClient({ url: registryUrl }).schemaById(id)
      const writer = avsc.Type.forSchema(JSON.parse(writerText) as avsc.Schema, {
        registry: { long: bigintLongType },
      })
      // A consumer's newer schema: the Value record (defined at `before`, referenced by name
      // at `after`) gained an optional field.
      const readerSchema = JSON.parse(writerText) as { fields: { name: string; type: unknown }[] }
      const valueField = readerSchema.fields.find((f) => f.name === 'before')
      const valueRecord = (valueField?.type as unknown[])[1] as { fields: unknown[] }
      valueRecord.fields.push({ name: 'added_later', type: ['null', 'string'], default: null })
      const reader = avsc.Type.forSchema(readerSchema as avsc.Schema, {
        registry: { long: bigintLongType },
      })
      const resolver = reader.createResolver(writer)
      const value = reader.fromBuffer(record.value.subarray(5), resolver) as {
        after: { big: bigint; balance: Buffer; added_later: null; name: string }
      }
      assert.equal(value.after.big, 9_223_372_036_854_775_807n)
      assert.equal(value.after.added_later, null)
      // -1234567890 (scale 2) as big-endian two's complement.
      assert.equal(value.after.balance.readInt32BE(0), -1_234_567_890)
    })

    it('registers a compatible change as a new version; stops on an incompatible one before writing anything', async () => {
      const topic = uniqueName('shop.public.customers')
      createdTopics.push(topic)
      const { sink, producer, offsetsTopic } = await newSink(registryUrl, uniqueName('sink'))
      const v1 = customersTable(topic)
      const v2 = customersTable(topic, [
        { name: 'email', schema: { type: 'string', optional: true }, sourceType: 'text' },
      ])
      // A new NOT NULL column without a default cannot read old records: not BACKWARD.
      const v3 = customersTable(topic, [
        { name: 'tier', schema: { type: 'int32', optional: false }, sourceType: 'integer' },
      ])
      try {
        await sink.emit(rowEvent(v1, 'c', null, row(1, 'a'), 1n))
        await sink.commit({ lsn: '1' })
        await sink.emit(rowEvent(v2, 'c', null, row(2, 'b', { email: 'b@x' }), 2n))
        await sink.commit({ lsn: '2' })
        await assert.rejects(
          sink.emit(rowEvent(v3, 'c', null, row(3, 'c', { tier: 1 }), 3n)),
          (error: unknown) => {
            assert.ok(error instanceof CdcError)
            assert.equal(error.code, 'CDC_REG_INCOMPATIBLE_SCHEMA')
            assert.match(error.message, new RegExp(`${topic}-value`))
            assert.match(error.message, /BACKWARD/)
            return true
          },
        )
        await assert.rejects(sink.commit({ lsn: '3' }), /not BACKWARD compatible/)
      } finally {
        await sink.close()
        await producer.close()
      }
      const versions = (await (
        await fetch(`${registryUrl}/subjects/${topic}-value/versions`)
      ).json()) as number[]
      assert.equal(versions.length, 2)
      const records = await readUntil([topic], (r) => r.length >= 2)
      assert.equal(records.length, 2)
      const positions = await readUntil([offsetsTopic], (r) => r.length >= 2)
      assert.deepEqual(
        positions.map((p) => JSON.parse(p.value?.toString() ?? 'null') as unknown),
        [{ lsn: '1' }, { lsn: '2' }],
      )

      // The user relaxes the subject's level; a new run from the last position goes on.
      await fetch(`${registryUrl}/config/${topic}-value`, {
        method: 'PUT',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ compatibility: 'NONE' }),
      })
      const resumed = await newSink(registryUrl, uniqueName('sink'))
      try {
        await resumed.sink.emit(rowEvent(v3, 'c', null, row(3, 'c', { tier: 1 }), 3n))
        await resumed.sink.commit({ lsn: '3' })
      } finally {
        await resumed.sink.close()
        await resumed.producer.close()
      }
      await readUntil([topic], (r) => r.length >= 3)
    })
  })
}

describe('embedded registry state in Kafka', () => {
  it('a restarted instance, and a second one on the same topic, rebuild the same subjects and ids', async () => {
    const topic = uniqueName('schemas')
    createdTopics.push(topic)
    const first = createEmbeddedRegistry({ log: new KafkaSchemaLog(kafka, topic, 1) })
    const url = await first.listen('127.0.0.1', 0)
    const client = new ConfluentRegistryClient({ url })
    const schema = (name: string) =>
      JSON.stringify({ type: 'record', name, fields: [{ name: 'id', type: 'int' }] })
    const a = await client.register('a-value', schema('A'))
    const b = await client.register('b-value', schema('B'))
    await first.close()

    const second = createEmbeddedRegistry({ log: new KafkaSchemaLog(kafka, topic, 1) })
    const third = createEmbeddedRegistry({ log: new KafkaSchemaLog(kafka, topic, 1) })
    const secondUrl = await second.listen('127.0.0.1', 0)
    const thirdUrl = await third.listen('127.0.0.1', 0)
    try {
      const subjects = (await (await fetch(`${secondUrl}/subjects`)).json()) as string[]
      assert.deepEqual(subjects.sort(), ['a-value', 'b-value'])
      assert.equal(
        await new ConfluentRegistryClient({ url: secondUrl }).register('a-value', schema('A')),
        a,
      )
      // An id handed out by one instance is never reused by the other for another schema.
      const c = await new ConfluentRegistryClient({ url: secondUrl }).register(
        'c-value',
        schema('C'),
      )
      const d = await new ConfluentRegistryClient({ url: thirdUrl }).register(
        'd-value',
        schema('D'),
      )
      assert.equal(new Set([a, b, c, d]).size, 4)
      const fromThird = (await (await fetch(`${thirdUrl}/schemas/ids/${c}`)).json()) as {
        schema: string
      }
      assert.match(fromThird.schema, /"C"/)
    } finally {
      await second.close()
      await third.close()
    }
  })

  after(async () => {
    await kafka.admin.deleteTopics(createdTopics).catch(() => undefined)
    await kafka.close()
  })
})
