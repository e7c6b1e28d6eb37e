// Reads Confluent-framed Avro back with the standard client, as a JVM consumer would.
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry'
import avsc from 'avsc'
import type { ReadRecord } from './kafka-read.ts'

/** Debezium's longs (ts_ns, BIGINT) exceed 2^53: read them as bigint. */
export const bigintLongType = avsc.types.LongType.__with({
  fromBuffer: (buffer: Buffer) => buffer.readBigInt64LE(),
  toBuffer: (value: bigint) => {
    const buffer = Buffer.alloc(8)
    buffer.writeBigInt64LE(value)
    return buffer
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (value: unknown) => typeof value === 'bigint',
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
})

/** The values of `records` (tombstones left out), decoded through the registry at `url`. */
export async function decodeValues<T>(url: string, records: readonly ReadRecord[]): Promise<T[]> {
  // One client per schema id: avsc keeps named types in the options' registry, and two
  // versions of one envelope share their names.
  const clients = new Map<number, SchemaRegistry>()
  const values: T[] = []
  // One at a time: two concurrent first uses of one schema would define its name twice.
  for (const record of records) {
    if (record.value === null) continue
    const id = record.value.readUInt32BE(1)
    let client = clients.get(id)
    if (client === undefined) {
      client = new SchemaRegistry(
        { host: url },
        { [SchemaType.AVRO]: { registry: { long: bigintLongType } } },
      )
      clients.set(id, client)
    }
    values.push((await client.decode(record.value)) as T)
  }
  return values
}
