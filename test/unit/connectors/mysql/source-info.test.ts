import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sourceBlock, sourceSchemas } from '../../../../connectors/mysql/source-info.ts'
import { validateValue } from '../../../../envelope/validate-value.ts'

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

describe('connectors/mysql/source-info', () => {
  it("builds Debezium's source block for each flavor", () => {
    assert.equal(sourceSchemas.mysql.name, 'io.debezium.connector.mysql.Source')
    assert.equal(sourceSchemas.mariadb.name, 'io.debezium.connector.mariadb.Source')
    assert.deepEqual(
      sourceSchemas.mysql.fields.map((field) => field.name),
      [
        'version',
        'connector',
        'name',
        'ts_ms',
        'snapshot',
        'db',
        'sequence',
        'ts_us',
        'ts_ns',
        'table',
        'server_id',
        'gtid',
        'file',
        'pos',
        'row',
        'thread',
        'query',
      ],
    )
    assert.equal(source.value.ts_ms, 1_700_000_000_123n)
    assert.equal(source.value.ts_ns, 1_700_000_000_123_456_000n)
    assert.equal(source.value.connector, 'mysql')
    assert.equal(source.value.thread, 12n)
    validateValue(source.schema, source.value, 'shop', 'source')
  })
})
