import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  classifyMysqlError,
  isDriverError,
  isServerIdClash,
} from '../../../../connectors/mysql/mysql-errors.ts'
import { CdcError } from '../../../../common/errors.ts'
import { serverError } from './fake-queryable.ts'

describe('connectors/mysql/mysql-errors', () => {
  it('classifies server errors by number', () => {
    const cases: [number, string, string, boolean][] = [
      [1045, 'Access denied for user', 'CDC_MYSQL_AUTH', false],
      [1142, 'SELECT command denied', 'CDC_MYSQL_PRIVILEGE', false],
      [1227, 'need BINLOG MONITOR', 'CDC_MYSQL_PRIVILEGE', false],
      [1236, 'Could not find first log file name', 'CDC_MYSQL_POSITION_UNAVAILABLE', false],
      [
        4052,
        'A slave with the same server_uuid/server_id is already connected',
        'CDC_MYSQL_SERVER_ID_CLASH',
        false,
      ],
      [1053, 'Server shutdown in progress', 'CDC_MYSQL_CONNECTION', true],
      [1927, 'Connection was killed', 'CDC_MYSQL_CONNECTION', true],
      [1213, 'Deadlock found', 'CDC_MYSQL_CONNECTION', true],
      [1146, "Table 'x' doesn't exist", 'CDC_MYSQL_QUERY_FAILED', false],
    ]
    for (const [errno, message, code, retriable] of cases) {
      const error = classifyMysqlError(serverError(errno, message), 'testing')
      assert.equal(error.code, code, message)
      assert.equal(error.retriable, retriable, message)
      assert.match(error.message, /while testing/)
      assert.equal(error.details.errno, errno)
    }
  })

  it('tells a MySQL server id clash (sent as 1236) from a purged position', () => {
    const clash = serverError(
      1236,
      'A slave with the same server_uuid/server_id as this slave has connected to the master',
    )
    assert.equal(classifyMysqlError(clash, 'x').code, 'CDC_MYSQL_SERVER_ID_CLASH')
    assert.ok(
      isServerIdClash(1236, 'A replica with the same server_uuid/server_id as this replica'),
    )
  })

  it('treats socket failures as retriable and keeps CdcErrors', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
    assert.equal(classifyMysqlError(reset, 'x').retriable, true)
    const lost = Object.assign(new Error('Connection lost: The server closed the connection.'), {
      code: 'PROTOCOL_CONNECTION_LOST',
    })
    assert.equal(classifyMysqlError(lost, 'x').code, 'CDC_MYSQL_CONNECTION')
    const own = new CdcError('CDC_CONFIG_INVALID', 'bad')
    assert.equal(classifyMysqlError(own, 'x'), own)
  })

  it('tells driver errors from bugs', () => {
    assert.ok(isDriverError(serverError(1146, 'no table')))
    assert.ok(isDriverError(Object.assign(new Error('reset'), { code: 'ECONNRESET' })))
    assert.ok(!isDriverError(new TypeError('undefined is not a function')))
  })
})
