import { avroCodecFor } from '../envelope/avro-codec.ts'
import type { ChangeRecord, Payload } from '../envelope/change-record.ts'
import type { ConnectSchema } from '../envelope/connect-schema.ts'
import { toConnectJson } from '../envelope/json-format.ts'
import type { SchemaRegistryClient } from '../registry/schema-registry.ts'
import { topicSubject, type RecordPart } from '../registry/subject-name.ts'
import { frame } from '../registry/wire-format.ts'
import type { RecordEncoder } from './kafka-change-sink.ts'

/**
 * Confluent's AvroConverter format: each key and value registered under its topic's
 * subject (TopicNameStrategy), checked for compatibility by the registry before its first
 * use, and written as magic byte + schema id + Avro binary.
 */
export class AvroRecordEncoder implements RecordEncoder {
  readonly #registry: SchemaRegistryClient
  // Schema objects are shared by every event of a table version, so the id lookup on the
  // hot path is one WeakMap hit, with no schema text built.
  readonly #ids = new WeakMap<ConnectSchema, Map<string, Promise<number>>>()

  constructor(registry: SchemaRegistryClient) {
    this.#registry = registry
  }

  async encode(record: ChangeRecord): Promise<{ key: Buffer | null; value: Buffer | null }> {
    return {
      key: await this.#encodePart(record.topic, 'key', record.key),
      value: await this.#encodePart(record.topic, 'value', record.value),
    }
  }

  async #encodePart(
    topic: string,
    part: RecordPart,
    payload: Payload | null,
  ): Promise<Buffer | null> {
    if (payload === null) return null
    const codec = avroCodecFor(payload.schema)
    const subject = topicSubject(topic, part)
    let bySubject = this.#ids.get(payload.schema)
    if (bySubject === undefined) {
      bySubject = new Map()
      this.#ids.set(payload.schema, bySubject)
    }
    let id = bySubject.get(subject)
    if (id === undefined) {
      id = this.#registry.register(subject, codec.avroSchemaText)
      bySubject.set(subject, id)
      // A refused schema must be checked again next time (the user may have changed the
      // subject's compatibility level), not remembered as refused.
      id.catch(() => bySubject.delete(subject))
    }
    return frame(await id, codec.encode(payload.value))
  }
}

/** Kafka Connect's JsonConverter format, with or without the schema wrapper. */
export class JsonRecordEncoder implements RecordEncoder {
  readonly #keySchemas: boolean
  readonly #valueSchemas: boolean

  constructor(options: { keySchemasEnable: boolean; valueSchemasEnable: boolean }) {
    this.#keySchemas = options.keySchemasEnable
    this.#valueSchemas = options.valueSchemasEnable
  }

  encode(record: ChangeRecord): Promise<{ key: Buffer | null; value: Buffer | null }> {
    return Promise.resolve({
      key: toConnectJson(record.key, { schemasEnable: this.#keySchemas }),
      value: toConnectJson(record.value, { schemasEnable: this.#valueSchemas }),
    })
  }
}

/** Keys in one format, values in another (`key.converter` and `value.converter` differ). */
export class SplitRecordEncoder implements RecordEncoder {
  readonly #keys: RecordEncoder
  readonly #values: RecordEncoder

  constructor(keys: RecordEncoder, values: RecordEncoder) {
    this.#keys = keys
    this.#values = values
  }

  async encode(record: ChangeRecord): Promise<{ key: Buffer | null; value: Buffer | null }> {
    const [keys, values] = await Promise.all([
      this.#keys.encode(record),
      this.#values.encode(record),
    ])
    return { key: keys.key, value: values.value }
  }
}
