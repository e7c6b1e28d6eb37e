import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  captureTable,
  rowFromImage,
  rowFromSnapshot,
  snapshotSelect,
} from '../../../../connectors/mysql/captured-table.ts'
import { isCdcError } from '../../../../common/errors.ts'
import { column, table, testConfig } from './fixtures.ts'

const def = table(
  'shop',
  'orders',
  [
    column('id', 'int', { nullable: false }),
    column('secret', 'varchar', { charset: 'utf8mb4' }),
    column('qty', 'smallint'),
  ],
  ['id'],
)

describe('connectors/mysql/captured-table', () => {
  it('builds the table schema: topic, columns after filters, key columns', () => {
    const captured = captureTable(
      testConfig({ 'column.exclude.list': 'shop\\.orders\\.(secret|id)' }),
      def,
    )
    assert.equal(captured.schema.topic, 'shop.shop.orders')
    assert.deepEqual(captured.schema.id, { database: 'shop', schema: '', table: 'orders' })
    // Key columns are kept even when a filter matches them.
    assert.deepEqual(
      captured.schema.columns.map((entry) => entry.name),
      ['id', 'qty'],
    )
    assert.deepEqual(captured.schema.keyColumns, ['id'])
    assert.deepEqual(
      captured.columns.map((entry) => entry.index),
      [0, 2],
    )
    assert.equal(snapshotSelect(captured), 'SELECT `id`, `qty` FROM `shop`.`orders`')
  })

  it('uses message.key.columns and refuses columns the table lacks', () => {
    const keyed = captureTable(testConfig({ 'message.key.columns': 'shop\\.orders:qty' }), def)
    assert.deepEqual(keyed.schema.keyColumns, ['qty'])
    assert.throws(
      () => captureTable(testConfig({ 'message.key.columns': 'shop\\.orders:nope' }), def),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_CONFIG_INVALID',
    )
  })

  it('builds rows from binlog images and snapshot rows alike', () => {
    const captured = captureTable(testConfig(), def)
    const fromBinlog = rowFromImage(captured, [7, Buffer.from('s'), null])
    const fromSnapshot = rowFromSnapshot(captured, [Buffer.from('7'), Buffer.from('s'), null])
    assert.deepEqual(fromBinlog, { id: 7, secret: 's', qty: null })
    assert.deepEqual(fromSnapshot, fromBinlog)
  })

  it('refuses images without every column (binlog_row_image other than FULL)', () => {
    const captured = captureTable(testConfig(), def)
    assert.throws(
      () => rowFromImage(captured, [7, undefined, 1]),
      (error: unknown) =>
        isCdcError(error) &&
        error.code === 'CDC_MYSQL_BINLOG_CONFIG' &&
        /lacks column secret/.test(error.message),
    )
  })

  it('names the column of a value that does not convert', () => {
    const captured = captureTable(testConfig(), def)
    assert.throws(
      () => rowFromImage(captured, [Buffer.from('x'), null, null]),
      (error: unknown) => isCdcError(error) && /shop\.orders\.id/.test(error.message),
    )
  })
})
