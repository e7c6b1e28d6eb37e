import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { avroSchemaText } from '../../../envelope/avro-schema.ts'
import type { ChangeRecord } from '../../../envelope/change-record.ts'
import {
  TransactionMetadataTracker,
  dataCollectionOf,
  transactionBeginRecord,
  transactionEndRecord,
  transactionKeySchema,
  transactionValueSchema,
} from '../../../envelope/transaction-metadata.ts'
import { ordersTable, rowEvent } from './fixtures.ts'

const inTransaction = (id: string, table = ordersTable) => ({
  ...rowEvent('c', null, { id: 1n, region: 'eu', note: null }, table),
  transaction: { id, totalOrder: 1n, dataCollectionOrder: 1n },
})

const summary = (records: ChangeRecord[]) =>
  records.map((record) => {
    const value = record.value?.value as Record<string, unknown>
    return [value.status, value.id, value.event_count, value.data_collections]
  })

describe('envelope/transaction-metadata', () => {
  it('builds BEGIN and END records keyed by the transaction id', () => {
    const begin = transactionBeginRecord('srv.transaction', '771:100', 17n)
    assert.deepEqual(begin, {
      topic: 'srv.transaction',
      key: { schema: transactionKeySchema, value: { id: '771:100' } },
      value: {
        schema: transactionValueSchema,
        value: {
          status: 'BEGIN',
          id: '771:100',
          event_count: null,
          data_collections: null,
          ts_ms: 17n,
        },
      },
    })
    const end = transactionEndRecord('srv.transaction', '771:100', 18n, [
      { dataCollection: 'public.orders', eventCount: 2n },
      { dataCollection: 'public.items', eventCount: 3n },
    ])
    assert.deepEqual(end.value?.value, {
      status: 'END',
      id: '771:100',
      event_count: 5n,
      data_collections: [
        { data_collection: 'public.orders', event_count: 2n },
        { data_collection: 'public.items', event_count: 3n },
      ],
      ts_ms: 18n,
    })
  })

  it('names data collections as Debezium does per database', () => {
    assert.equal(dataCollectionOf(rowEvent('c', null, null)), 'public.orders')
    const mysql = { ...ordersTable, id: { database: 'shop', schema: '', table: 'orders' } }
    assert.equal(dataCollectionOf(rowEvent('c', null, null, mysql)), 'shop.orders')
  })

  it('tracks transactions across events: BEGIN on a new id, END with counts', () => {
    const tracker = new TransactionMetadataTracker('srv.transaction')
    const items = { ...ordersTable, id: { ...ordersTable.id, table: 'items' } }
    assert.deepEqual(summary(tracker.before(inTransaction('a'))), [['BEGIN', 'a', null, null]])
    assert.deepEqual(tracker.before(inTransaction('a')), [])
    assert.deepEqual(tracker.before(inTransaction('a', items)), [])
    assert.deepEqual(summary(tracker.before(inTransaction('b'))), [
      [
        'END',
        'a',
        3n,
        [
          { data_collection: 'public.orders', event_count: 2n },
          { data_collection: 'public.items', event_count: 1n },
        ],
      ],
      ['BEGIN', 'b', null, null],
    ])
    assert.deepEqual(summary(tracker.end(99n)), [
      ['END', 'b', 1n, [{ data_collection: 'public.orders', event_count: 1n }]],
    ])
    assert.deepEqual(tracker.end(100n), [])
    assert.deepEqual(tracker.before(rowEvent('c', null, null)), [])
  })

  it('maps the transaction value schema to the Avro Debezium registers', () => {
    assert.equal(
      avroSchemaText(transactionValueSchema),
      '{"type":"record","name":"TransactionMetadataValue","namespace":"io.debezium.connector.common",' +
        '"fields":[{"name":"status","type":"string"},{"name":"id","type":"string"},' +
        '{"name":"event_count","type":["null","long"],"default":null},' +
        '{"name":"data_collections","type":["null",{"type":"array","items":["null",' +
        '{"type":"record","name":"collection","namespace":"event","fields":[' +
        '{"name":"data_collection","type":"string"},{"name":"event_count","type":"long"}],' +
        '"connect.version":1,"connect.name":"event.collection"}]}],"default":null},' +
        '{"name":"ts_ms","type":"long"}],"connect.version":1,' +
        '"connect.name":"io.debezium.connector.common.TransactionMetadataValue"}',
    )
  })
})
