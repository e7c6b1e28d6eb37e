import type { ConnectSchema, ConnectValue } from './connect-schema.ts'

/** A key or value before serialization: its Connect schema and value. */
export interface Payload {
  schema: ConnectSchema
  value: ConnectValue
}

/**
 * One Kafka record as the envelope builds it, independent of the wire format (Avro through
 * a registry, or JSON). A null value is a tombstone.
 */
export interface ChangeRecord {
  topic: string
  key: Payload | null
  value: Payload | null
  headers?: Readonly<Record<string, string>>
}
