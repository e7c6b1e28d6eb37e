import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  binlogStatusStatement,
  parseVersion,
  readBinaryLogs,
  readBinlogStatus,
  readServerInfo,
} from '../../../../connectors/mysql/server-info.ts'
import { sslAttempts } from '../../../../connectors/mysql/connection.ts'
import { isCdcError } from '../../../../common/errors.ts'
import { FakeQueryable } from './fake-queryable.ts'

describe('connectors/mysql/server-info', () => {
  it('reads the flavor, version and the variables the server has', async () => {
    const session = new FakeQueryable([
      [/VERSION\(\)/, [{ version: '10.11.19-MariaDB-0+deb12u1-log' }]],
      [
        /SHOW GLOBAL VARIABLES/,
        [
          { Variable_name: 'server_id', Value: '1' },
          { Variable_name: 'binlog_format', Value: 'ROW' },
        ],
      ],
    ])
    const info = await readServerInfo(session)
    assert.equal(info.mariadb, true)
    assert.equal(info.versionNumber, 101119)
    assert.equal(info.serverId, 1)
    assert.equal(info.variables.get('binlog_format'), 'ROW')
    assert.equal(parseVersion('8.4.2'), 80402)
    assert.equal(parseVersion('weird'), 0)
  })

  it('uses the statement each server version knows for the binlog position', async () => {
    const info = {
      version: '',
      mariadb: false,
      versionNumber: 80400,
      serverId: 1,
      variables: new Map<string, string>(),
    }
    assert.equal(binlogStatusStatement(info), 'SHOW BINARY LOG STATUS')
    assert.equal(binlogStatusStatement({ ...info, versionNumber: 80036 }), 'SHOW MASTER STATUS')
    assert.equal(
      binlogStatusStatement({ ...info, mariadb: true, versionNumber: 110402 }),
      'SHOW MASTER STATUS',
    )
    const off = new FakeQueryable([[/STATUS/, []]])
    await assert.rejects(
      readBinlogStatus(off, info),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_MYSQL_BINLOG_CONFIG',
    )
    const files = new FakeQueryable([
      [/SHOW BINARY LOGS/, [{ Log_name: 'b.000001', File_size: '123' }]],
    ])
    assert.deepEqual(await readBinaryLogs(files), [{ name: 'b.000001', size: 123 }])
  })

  it('tries TLS the way database.ssl.mode asks', () => {
    assert.deepEqual(sslAttempts('disabled'), [undefined])
    assert.deepEqual(sslAttempts('preferred'), [{ rejectUnauthorized: false }, undefined])
    assert.deepEqual(sslAttempts('required'), [{ rejectUnauthorized: false }])
    assert.deepEqual(sslAttempts('verify_identity'), [
      { rejectUnauthorized: true, verifyIdentity: true },
    ])
  })
})
