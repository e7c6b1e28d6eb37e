import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  pendingSnapshotField,
  pendingSnapshotTables,
  withPendingSnapshot,
} from '../../../connectors/adhoc-snapshot-position.ts'
import { decodePosition as decodeMysql } from '../../../connectors/mysql/position.ts'
import { decodePosition as decodePg } from '../../../connectors/postgres/position.ts'

const pg = { lsn: '0/16B3748', snapshot_completed: true, txId: 750, ts_usec: 1_700_000_000_000_000 }
const mysql = {
  file: 'mysql-bin.000003',
  pos: 1234,
  gtids: '0-1-42',
  snapshot_completed: true,
  ts_ms: 1,
}

describe('connectors/adhoc-snapshot-position', () => {
  it('positions written before ad-hoc snapshots existed have none pending', () => {
    assert.equal(pendingSnapshotTables(pg, 'CDC_PG_POSITION_UNAVAILABLE'), null)
    assert.equal(pendingSnapshotTables(mysql, 'CDC_MYSQL_POSITION_UNAVAILABLE'), null)
    assert.equal(pendingSnapshotTables(null, 'CDC_PG_POSITION_UNAVAILABLE'), null)
    assert.equal(
      pendingSnapshotTables({ ...pg, [pendingSnapshotField]: null }, 'CDC_PG_POSITION_UNAVAILABLE'),
      null,
    )
  })

  it('records the tables as a JSON list in the flat position and removes them again', () => {
    const pending = withPendingSnapshot(pg, ['public.orders', 'public."odd, name"'])
    assert.deepEqual(JSON.parse(JSON.stringify(pending)), {
      ...pg,
      adhoc_snapshot_tables: '["public.orders","public.\\"odd, name\\""]',
    })
    assert.deepEqual(pendingSnapshotTables(pending, 'CDC_PG_POSITION_UNAVAILABLE'), [
      'public.orders',
      'public."odd, name"',
    ])
    assert.deepEqual(withPendingSnapshot(pending, null), pg)
    assert.deepEqual(withPendingSnapshot(withPendingSnapshot(pending, ['a.b']), null), pg)
  })

  it('leaves the connectors reading their own fields as before', () => {
    const pgPending = withPendingSnapshot(pg, ['public.orders'])
    assert.deepEqual(decodePg(pgPending), decodePg(pg))
    const mysqlPending = withPendingSnapshot(mysql, ['shop.orders'])
    assert.deepEqual(decodeMysql(mysqlPending), decodeMysql(mysql))
  })

  it('refuses a field it did not write, with the connector code and the way out', () => {
    for (const value of ['public.orders', '[]', '[1]', '{"a":1}', 7, true, '[""]']) {
      assert.throws(
        () =>
          pendingSnapshotTables(
            { ...mysql, [pendingSnapshotField]: value },
            'CDC_MYSQL_POSITION_UNAVAILABLE',
          ),
        (error: Error & { code?: string }) =>
          error.code === 'CDC_MYSQL_POSITION_UNAVAILABLE' &&
          error.message.includes('PATCH /connectors/{name}/offsets'),
        `value ${JSON.stringify(value)}`,
      )
    }
  })
})
