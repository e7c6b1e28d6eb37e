import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { avroSchemaText } from '../../../envelope/avro-schema.ts'
import type { LogicalMessageEvent } from '../../../envelope/change-event.ts'
import { buildChangeRecords } from '../../../envelope/debezium-envelope.ts'
import { messageKeySchema, messageValueSchema } from '../../../envelope/message-envelope.ts'
import { pgSource, pgSourceValue } from './fixtures.ts'

const event: LogicalMessageEvent = {
  kind: 'message',
  op: 'm',
  topic: 'srv.message',
  prefix: 'audit',
  content: Uint8Array.from([104, 105]),
  tsMs: 1_700_000_000_500,
  source: { schema: pgSource, value: pgSourceValue({ schema: '', table: '', txId: null }) },
}

describe('envelope/message-envelope', () => {
  it("keys a message by its prefix and wraps it like Debezium's MessageValue", () => {
    const records = buildChangeRecords(event)
    assert.equal(records.length, 1)
    const [record] = records
    assert.equal(record?.topic, 'srv.message')
    assert.deepEqual(record.key, { schema: messageKeySchema, value: { prefix: 'audit' } })
    assert.equal(record.value?.schema, messageValueSchema(pgSource))
    assert.deepEqual(record.value.value, {
      op: 'm',
      ts_ms: 1_700_000_000_500n,
      source: pgSourceValue({ schema: '', table: '', txId: null }),
      transaction: null,
      message: { prefix: 'audit', content: Uint8Array.from([104, 105]) },
    })
  })

  it('carries the transaction block of transactional messages', () => {
    const transaction = { id: '7:99', totalOrder: 1n, dataCollectionOrder: 1n }
    const value = buildChangeRecords({ ...event, transaction })[0]?.value?.value
    assert.deepEqual((value as { transaction: unknown }).transaction, {
      id: '7:99',
      total_order: 1n,
      data_collection_order: 1n,
    })
  })

  it('maps to the Avro schemas Debezium registers for messages', () => {
    assert.equal(
      avroSchemaText(messageKeySchema),
      '{"type":"record","name":"MessageKey","namespace":"io.debezium.connector.postgresql",' +
        '"fields":[{"name":"prefix","type":["null","string"],"default":null}],' +
        '"connect.version":1,"connect.name":"io.debezium.connector.postgresql.MessageKey"}',
    )
    const text = avroSchemaText(messageValueSchema(pgSource))
    assert.ok(
      text.startsWith(
        '{"type":"record","name":"MessageValue","namespace":"io.debezium.connector.postgresql",' +
          '"fields":[{"name":"op","type":"string"},' +
          '{"name":"ts_ms","type":["null","long"],"default":null},' +
          '{"name":"source","type":{"type":"record","name":"Source","fields":[',
      ),
      text,
    )
    assert.ok(
      text.endsWith(
        '{"name":"message","type":{"type":"record","name":"Message","fields":[' +
          '{"name":"prefix","type":["null","string"],"default":null},' +
          '{"name":"content","type":["null","bytes"],"default":null}],' +
          '"connect.version":1,"connect.name":"io.debezium.connector.postgresql.Message"}}],' +
          '"connect.version":1,"connect.name":"io.debezium.connector.postgresql.MessageValue"}',
      ),
      text,
    )
  })
})
