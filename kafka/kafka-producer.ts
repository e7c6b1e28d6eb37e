import { Producer, stringSerializer, type MessageToProduce } from '@platformatic/kafka'
import { toCdcError } from './kafka-errors.ts'
import { clientOptions, type KafkaSettings } from './kafka-settings.ts'

/** A record to write. A null value is a tombstone; a null key leaves partitioning to Kafka. */
export interface OutgoingRecord {
  topic: string
  key: Buffer | null
  value: Buffer | null
  headers?: Readonly<Record<string, string>>
}

type Message = MessageToProduce<Buffer, Buffer, string, string>

function toMessage(record: OutgoingRecord): Message {
  const message: Message = { topic: record.topic }
  if (record.key !== null) message.key = record.key
  if (record.value !== null) message.value = record.value
  if (record.headers !== undefined) message.headers = { ...record.headers }
  return message
}

/** Writes to several records at once, all committed or none (exactly-once mode). */
export interface KafkaTransaction {
  send(records: readonly OutgoingRecord[]): Promise<void>
  commit(): Promise<void>
  abort(): Promise<void>
}

/**
 * An idempotent producer with acks=all: a write resolves only after every in-sync replica
 * has the records, so the caller may then confirm its source position. With a
 * transactional id it can also write transactions; a second producer with the same id
 * fences the first, so a zombie instance cannot commit.
 */
export class KafkaProducer {
  readonly #producer: Producer<Buffer, Buffer, string, string>
  readonly transactional: boolean

  constructor(settings: KafkaSettings, options: { transactionalId?: string } = {}) {
    this.transactional = options.transactionalId !== undefined
    this.#producer = new Producer<Buffer, Buffer, string, string>({
      ...clientOptions(settings, 'producer'),
      idempotent: true,
      acks: -1,
      ...(options.transactionalId === undefined
        ? {}
        : {
            transactionalId: options.transactionalId,
            // InitProducerId must say "no producer yet" (-1/-1), as the Java client does; the
            // client's default 0/0 makes the broker answer PRODUCER_FENCED to a restarted
            // process that reuses its transactional id.
            producerId: -1n,
            producerEpoch: -1,
          }),
      serializers: { headerKey: stringSerializer, headerValue: stringSerializer },
    })
  }

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return
    try {
      await this.#producer.send({ messages: records.map(toMessage) })
    } catch (error) {
      throw toCdcError(error, 'CDC_KAFKA_PRODUCE_FAILED', `writing ${records.length} record(s)`)
    }
  }

  async beginTransaction(): Promise<KafkaTransaction> {
    let transaction: Awaited<
      ReturnType<Producer<Buffer, Buffer, string, string>['beginTransaction']>
    >
    try {
      transaction = await this.#producer.beginTransaction()
    } catch (error) {
      throw toCdcError(error, 'CDC_KAFKA_TRANSACTION_FAILED', 'beginning a Kafka transaction')
    }
    return {
      send: async (records) => {
        if (records.length === 0) return
        try {
          await transaction.send({ messages: records.map(toMessage) })
        } catch (error) {
          throw toCdcError(error, 'CDC_KAFKA_TRANSACTION_FAILED', 'writing in a Kafka transaction')
        }
      },
      commit: async () => {
        try {
          await transaction.commit()
        } catch (error) {
          throw toCdcError(error, 'CDC_KAFKA_TRANSACTION_FAILED', 'committing a Kafka transaction')
        }
      },
      abort: async () => {
        try {
          await transaction.abort()
        } catch (error) {
          throw toCdcError(error, 'CDC_KAFKA_TRANSACTION_FAILED', 'aborting a Kafka transaction')
        }
      },
    }
  }

  async close(): Promise<void> {
    await this.#producer.close()
  }
}
