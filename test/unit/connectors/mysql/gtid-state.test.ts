import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GtidState, transactionGtid } from '../../../../connectors/mysql/gtid-state.ts'
import { mysqlGtid, sid } from './binlog-events.ts'

const uuid = sid

describe('connectors/mysql/gtid-state', () => {
  it('keeps the committed GTID position in the flavor of the server', () => {
    const mariadb = new GtidState(true, '0-1-9')
    mariadb.apply({ kind: 'mariadb', domain: 0, server: 1, sequence: 10n, text: '0-1-10' })
    assert.equal(mariadb.toString(), '0-1-10')
    const mysql = new GtidState(false, `${uuid}:1-9`)
    mysql.apply({ kind: 'mysql', sid: uuid, gno: 10n, text: `${uuid}:10` })
    assert.equal(mysql.toString(), `${uuid}:1-10`)
  })
  it('takes the GTID of MySQL GTID events, none of anonymous ones', () => {
    assert.deepEqual(transactionGtid(mysqlGtid(5n, 100)), {
      kind: 'mysql',
      sid,
      gno: 5n,
      text: `${sid}:5`,
    })
    assert.equal(transactionGtid(mysqlGtid(0n, 100, true)), null)
  })
})
