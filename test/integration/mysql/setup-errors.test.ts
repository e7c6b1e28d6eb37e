import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { BinlogStream } from '../../../connectors/mysql/binlog-stream.ts'
import { encodePosition } from '../../../connectors/mysql/position.ts'
import { isCdcError, type CdcError } from '../../../common/errors.ts'
import { testEnv } from '../../helpers/env.ts'
import { ConnectorRun } from './connector-run.ts'
import { MysqlScope, uniqueServerId } from './mysql-fixture.ts'

async function failure(run: ConnectorRun): Promise<CdcError> {
  const error = await run.outcome
  assert.ok(isCdcError(error), `expected a CdcError, got ${String(error)}`)
  return error
}

describe('MySQL/MariaDB connector: setup errors', () => {
  let scope: MysqlScope

  beforeEach(async () => {
    scope = await MysqlScope.create()
    await scope.query('CREATE TABLE t (id INT PRIMARY KEY)')
  })

  afterEach(async () => {
    await scope.drop()
  })

  const as = (user: string, extra: Record<string, string> = {}) =>
    scope.config({ 'database.user': user, ...extra })

  it('names BINLOG MONITOR (REPLICATION CLIENT) when the user cannot read binlog positions', async () => {
    const user = await scope.user('REPLICATION SLAVE, SELECT ON *.*')
    const error = await failure(new ConnectorRun(scope.name, as(user), null))
    assert.equal(error.code, 'CDC_MYSQL_PRIVILEGE')
    assert.match(error.message, /GRANT BINLOG MONITOR ON \*\.\*/)
    assert.equal(error.retriable, false)
  })

  it('names REPLICATION SLAVE when the user cannot read the binlog as a replica', async () => {
    const user = await scope.user('BINLOG MONITOR, SELECT ON *.*')
    const error = await failure(new ConnectorRun(scope.name, as(user), null))
    assert.equal(error.code, 'CDC_MYSQL_PRIVILEGE')
    assert.match(error.message, /GRANT REPLICATION SLAVE ON \*\.\*/)
  })

  it('names SELECT when the user cannot see the captured database', async () => {
    const user = await scope.user('REPLICATION SLAVE, BINLOG MONITOR ON *.*')
    const error = await failure(new ConnectorRun(scope.name, as(user), null))
    assert.equal(error.code, 'CDC_MYSQL_PRIVILEGE')
    assert.match(error.message, new RegExp(`GRANT SELECT ON ${scope.database}\\.\\*`))
  })

  it('runs with REPLICATION SLAVE, BINLOG MONITOR and SELECT on the database', async () => {
    const user = await scope.user('REPLICATION SLAVE, BINLOG MONITOR ON *.*')
    await scope.query(`GRANT SELECT ON \`${scope.database}\`.* TO '${user}'@'%'`)
    const run = new ConnectorRun(scope.name, as(user), null)
    try {
      await run.streaming()
    } finally {
      await run.stop()
    }
  })

  it('rejects a wrong password as a login error', async () => {
    const user = await scope.user('')
    const error = await failure(
      new ConnectorRun(scope.name, as(user, { 'database.password': 'wrong' }), null),
    )
    assert.equal(error.code, 'CDC_MYSQL_AUTH')
  })

  it("refuses the server's own server id", async () => {
    const error = await failure(
      new ConnectorRun(scope.name, scope.config({ 'database.server.id': '1' }), null),
    )
    assert.equal(error.code, 'CDC_MYSQL_SERVER_ID_CLASH')
  })

  it('fails with a clash when another replica connects with the same server id', async () => {
    const serverId = uniqueServerId()
    const config = scope.config({ 'database.server.id': serverId, 'snapshot.mode': 'no_data' })
    const run = new ConnectorRun(scope.name, config, null)
    await run.streaming()
    const other = await BinlogStream.open({
      connection: {
        host: testEnv.mariadb.host,
        port: testEnv.mariadb.port,
        user: testEnv.mariadb.user,
        password: null,
        sslMode: 'disabled',
      },
      serverId: Number(serverId),
      mariadb: true,
      start: {
        kind: 'file',
        file: String(run.sink.lastPosition?.file),
        pos: Number(run.sink.lastPosition?.pos),
      },
      heartbeatMs: 1000,
      replicaName: 'other-replica',
      annotateRows: false,
    })
    try {
      const error = await failure(run)
      assert.equal(error.code, 'CDC_MYSQL_SERVER_ID_CLASH')
      assert.match(error.message, /database\.server\.id/)
      assert.equal(error.retriable, false)
    } finally {
      other.close()
    }
  })

  it('says the stored position is gone and what when_needed would do', async () => {
    const gone = encodePosition({
      file: 'mysql-bin.999999',
      pos: 4,
      gtids: '',
      snapshotCompleted: true,
      tsMs: null,
    })
    const error = await failure(new ConnectorRun(scope.name, scope.config(), gone))
    assert.equal(error.code, 'CDC_MYSQL_POSITION_UNAVAILABLE')
    assert.match(error.message, /mysql-bin\.999999/)
    assert.match(error.message, /snapshot\.mode=when_needed/)
  })

  it('says so when the stored GTID position is not in the binlog', async () => {
    const gone = encodePosition({
      file: 'mysql-bin.000001',
      pos: 4,
      gtids: '0-1-999999999',
      snapshotCompleted: true,
      tsMs: null,
    })
    const error = await failure(new ConnectorRun(scope.name, scope.config(), gone))
    assert.equal(error.code, 'CDC_MYSQL_POSITION_UNAVAILABLE')
    assert.match(error.message, /0-1-999999999/)
    assert.match(error.message, /when_needed/)
  })

  it('refuses a stored position another connector wrote', async () => {
    const error = await failure(
      new ConnectorRun(scope.name, scope.config(), { lsn: '0/16B3748', snapshot_completed: true }),
    )
    assert.equal(error.code, 'CDC_MYSQL_POSITION_UNAVAILABLE')
  })
})
