import { buildChangeRecords } from '../envelope/debezium-envelope.ts'
import type { KafkaClient } from '../kafka/kafka-client.ts'
import { KafkaChangeSink, type RecordEncoder } from '../kafka/kafka-change-sink.ts'
import {
  AvroRecordEncoder,
  JsonRecordEncoder,
  SplitRecordEncoder,
} from '../kafka/record-encoders.ts'
import { TopicPolicy } from '../kafka/topic-policy.ts'
import type { SchemaRegistryClient } from '../registry/schema-registry.ts'
import type { RunSink } from './connector-runner.ts'
import type { SinkRequest } from './worker.ts'

/**
 * Builds the sink for one run of a connector from its settings: the envelope options,
 * the key and value formats, topic creation, and a producer of its own (transactional,
 * with the connector's name as transactional id, in exactly-once mode, so a zombie run of
 * the same connector is fenced).
 */
export function sinkFactory(
  kafka: KafkaClient,
  registry: SchemaRegistryClient,
  defaultReplicationFactor: number,
) {
  return (request: SinkRequest): Promise<RunSink> => {
    const { settings, config } = request
    const producer = kafka.producer(
      settings.exactlyOnce ? { transactionalId: `cdc-source-${request.name}` } : {},
    )
    const topics = new TopicPolicy(kafka.admin, {
      partitions: settings.partitions,
      replicationFactor: settings.replicationFactor ?? defaultReplicationFactor,
      changesCleanupPolicy: settings.cleanupPolicy,
    })
    const avro = new AvroRecordEncoder(registry)
    const json = new JsonRecordEncoder({
      keySchemasEnable: settings.keySchemasEnable,
      valueSchemasEnable: settings.valueSchemasEnable,
    })
    const pick = (format: 'avro' | 'json'): RecordEncoder => (format === 'avro' ? avro : json)
    const encoder =
      settings.keyFormat === settings.valueFormat
        ? pick(settings.keyFormat)
        : new SplitRecordEncoder(pick(settings.keyFormat), pick(settings.valueFormat))
    const tombstonesOnDelete = config['tombstones.on.delete'] !== 'false'
    const seenTopics = new Set<string>()
    const sink = new KafkaChangeSink({
      connector: request.name,
      partition: request.partition,
      offsetsTopic: request.offsetsTopic,
      producer,
      topics,
      toRecords: (event) => {
        if (event.kind !== 'schemaChange' && settings.skippedOperations.has(event.op)) return []
        const records = buildChangeRecords(event, { tombstonesOnDelete })
        for (const record of records) {
          if (!seenTopics.has(record.topic)) {
            seenTopics.add(record.topic)
            request.onTopic(record.topic)
          }
        }
        return records
      },
      encoder,
      exactlyOnce: settings.exactlyOnce,
      transactionTopic:
        config['provide.transaction.metadata']?.trim().toLowerCase() === 'true'
          ? `${config['topic.prefix'] ?? request.name}.transaction`
          : null,
    })
    return Promise.resolve({
      emit: (event) => sink.emit(event),
      commit: (position) => sink.commit(position),
      flush: () => sink.flush(),
      get recordsWritten() {
        return sink.recordsWritten
      },
      close: async () => {
        try {
          await sink.close()
        } finally {
          await producer.close()
        }
      },
    })
  }
}
