import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ServerInfo } from '../../../../connectors/mysql/server-info.ts'
import { startSnapshot } from '../../../../connectors/mysql/snapshot-position.ts'
import { isCdcError } from '../../../../common/errors.ts'
import { FakeQueryable, serverError } from './fake-queryable.ts'

function server(mariadb: boolean, versionNumber: number): ServerInfo {
  return { version: '', mariadb, versionNumber, serverId: 1, variables: new Map() }
}

const masterStatus: [RegExp, { File: string; Position: string; Executed_Gtid_Set: string }[]] = [
  /SHOW (MASTER|BINARY LOG) STATUS/,
  [
    {
      File: 'binlog.000007',
      Position: '1234',
      Executed_Gtid_Set: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-\n42',
    },
  ],
]

describe('connectors/mysql/snapshot-position', () => {
  it('MariaDB: reads the consistent snapshot its own binlog position, without a lock', async () => {
    const session = new FakeQueryable([
      [
        /SHOW STATUS LIKE/,
        [
          { Variable_name: 'Binlog_snapshot_file', Value: 'mysql-bin.000002' },
          { Variable_name: 'Binlog_snapshot_position', Value: '77980' },
        ],
      ],
      [/BINLOG_GTID_POS/, [{ gtids: '0-1-35' }]],
    ])
    const point = await startSnapshot(session, server(true, 101119), 'minimal', "'u'")
    assert.deepEqual(point, { file: 'mysql-bin.000002', pos: 77980, gtids: '0-1-35', exact: true })
    assert.deepEqual(session.statements, [
      'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ',
      'START TRANSACTION WITH CONSISTENT SNAPSHOT',
      "SHOW STATUS LIKE 'binlog_snapshot_%'",
      'SELECT BINLOG_GTID_POS(?, ?) AS gtids ["mysql-bin.000002",77980]',
    ])
    assert.ok(!session.statements.some((sql) => sql.includes('FLUSH')))
  })

  it('MySQL minimal: holds FLUSH TABLES WITH READ LOCK only while it reads the position', async () => {
    const session = new FakeQueryable([masterStatus])
    const point = await startSnapshot(session, server(false, 80036), 'minimal', "'u'")
    assert.deepEqual(point, {
      file: 'binlog.000007',
      pos: 1234,
      gtids: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42',
      exact: true,
    })
    assert.deepEqual(session.statements, [
      'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ',
      'FLUSH TABLES WITH READ LOCK',
      'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ',
      'START TRANSACTION WITH CONSISTENT SNAPSHOT',
      'SHOW MASTER STATUS',
      'UNLOCK TABLES',
    ])
  })

  it('MySQL 8.4 reads SHOW BINARY LOG STATUS; none takes no lock and says so', async () => {
    const session = new FakeQueryable([masterStatus])
    const point = await startSnapshot(session, server(false, 80400), 'none', "'u'")
    assert.equal(point.exact, false)
    assert.ok(session.statements.includes('SHOW BINARY LOG STATUS'))
    assert.ok(!session.statements.some((sql) => /FLUSH|UNLOCK/.test(sql)))
  })

  it('MySQL: releases the lock when reading the position fails', async () => {
    const session = new FakeQueryable([[/SHOW MASTER STATUS/, serverError(2013, 'lost')]])
    await assert.rejects(startSnapshot(session, server(false, 80036), 'minimal', "'u'"))
    assert.equal(session.statements.at(-1), 'UNLOCK TABLES')
  })

  it('MySQL: names RELOAD when FLUSH TABLES WITH READ LOCK is refused', async () => {
    const session = new FakeQueryable([[/FLUSH TABLES/, serverError(1227, 'need RELOAD')]])
    await assert.rejects(
      startSnapshot(session, server(false, 80036), 'minimal', "'u'"),
      (error: unknown) =>
        isCdcError(error) &&
        error.code === 'CDC_MYSQL_PRIVILEGE' &&
        /GRANT RELOAD ON \*\.\* TO 'u'/.test(error.message),
    )
  })

  it('refuses a snapshot without a binlog position', async () => {
    const session = new FakeQueryable([
      [/SHOW STATUS LIKE/, [{ Variable_name: 'Binlog_snapshot_file', Value: '' }]],
    ])
    await assert.rejects(
      startSnapshot(session, server(true, 101119), 'minimal', "'u'"),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_MYSQL_BINLOG_CONFIG',
    )
  })
})
