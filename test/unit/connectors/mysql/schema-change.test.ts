import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { schemaChangeRecord } from '../../../../connectors/mysql/schema-change.ts'
import { sourceBlock } from '../../../../connectors/mysql/source-info.ts'
import { validateValue } from '../../../../envelope/validate-value.ts'
import { column, table } from './fixtures.ts'

const source = sourceBlock({
  flavor: 'mysql',
  version: '0.1.0',
  name: 'shop',
  timeUs: 1_700_000_000_123_456n,
  snapshot: 'false',
  db: 'shop',
  table: 'orders',
  serverId: 1,
  gtid: null,
  file: 'binlog.000001',
  pos: 4,
  row: 0,
  thread: 12,
  query: null,
})

describe('connectors/mysql/schema-change', () => {
  it('builds SchemaChangeKey and SchemaChangeValue records on <topic.prefix>', () => {
    const def = table(
      'shop',
      'orders',
      [
        column('id', 'int', { nullable: false, autoIncrement: true }),
        column('amount', 'decimal', { precision: 10, scale: 2 }),
        column('state', 'enum', { values: ['new', 'old'], charset: 'utf8mb4', length: 3 }),
        column('at', 'datetime', { fsp: 3 }),
      ],
      ['id'],
    )
    const record = schemaChangeRecord({
      flavor: 'mysql',
      topic: 'shop',
      source,
      tsMs: 1_700_000_000_500,
      databaseName: 'shop',
      ddl: 'ALTER TABLE orders ADD at DATETIME(3)',
      tableChanges: [{ type: 'ALTER', def }],
    })
    if (record.key === null || record.value === null)
      throw new Error('a record without key or value')
    assert.equal(record.topic, 'shop')
    assert.equal(record.key.schema.name, 'io.debezium.connector.mysql.SchemaChangeKey')
    assert.deepEqual(record.key.value, { databaseName: 'shop' })
    assert.equal(record.value.schema.name, 'io.debezium.connector.mysql.SchemaChangeValue')
    validateValue(record.key.schema, record.key.value, 'shop', 'key')
    validateValue(record.value.schema, record.value.value, 'shop', 'value')
    const value = record.value.value as {
      ddl: string
      tableChanges: {
        type: string
        id: string
        table: { primaryKeyColumnNames: string[]; columns: Record<string, unknown>[] }
      }[]
    }
    assert.equal(value.ddl, 'ALTER TABLE orders ADD at DATETIME(3)')
    const change = value.tableChanges[0]
    assert.equal(change?.type, 'ALTER')
    assert.equal(change.id, '"shop"."orders"')
    assert.deepEqual(change.table.primaryKeyColumnNames, ['id'])
    assert.deepEqual(
      change.table.columns.map((entry) => [
        entry.name,
        entry.jdbcType,
        entry.typeName,
        entry.length,
        entry.scale,
        entry.position,
      ]),
      [
        ['id', 4, 'INT', null, null, 1],
        ['amount', 3, 'DECIMAL', 10, 2, 2],
        ['state', 1, 'ENUM', 3, null, 3],
        ['at', 93, 'DATETIME', 3, null, 4],
      ],
    )
    assert.deepEqual(change.table.columns[2]?.enumValues, ['new', 'old'])
    assert.equal(change.table.columns[0]?.autoIncremented, true)
  })
})
