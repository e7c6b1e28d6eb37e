import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ServerInfo } from '../../../../connectors/mysql/server-info.ts'
import {
  checkBinlogSettings,
  checkReplicationClient,
  checkSelectPrivilege,
  checkServerId,
  checkVisibleDatabases,
  hasFullRowMetadata,
  listReplicas,
} from '../../../../connectors/mysql/setup-checks.ts'
import { compileRegexList } from '../../../../connectors/mysql/filters.ts'
import { isCdcError } from '../../../../common/errors.ts'
import { FakeQueryable, serverError } from './fake-queryable.ts'

function server(
  variables: Record<string, string>,
  mariadb = true,
  versionNumber = 101119,
): ServerInfo {
  return {
    version: mariadb ? '10.11.19-MariaDB-log' : '8.4.2',
    mariadb,
    versionNumber,
    serverId: 1,
    variables: new Map(
      Object.entries({
        log_bin: 'ON',
        binlog_format: 'ROW',
        binlog_row_image: 'FULL',
        binlog_row_metadata: 'FULL',
        ...variables,
      }),
    ),
  }
}

const code = (expected: string, pattern: RegExp) => (error: unknown) =>
  isCdcError(error) && error.code === expected && pattern.test(error.message)

describe('connectors/mysql/setup-checks', () => {
  it('accepts ROW format with FULL images', () => {
    checkBinlogSettings(server({}))
    checkBinlogSettings(server({ binlog_legacy_event_pos: 'ON' }))
  })

  it('refuses each binlog setting that loses changes, naming the fix', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ log_bin: 'OFF' }, /set log_bin/],
      [{ binlog_format: 'MIXED' }, /SET GLOBAL binlog_format = 'ROW'/],
      [{ binlog_row_image: 'MINIMAL' }, /SET GLOBAL binlog_row_image = 'FULL'/],
      [{ binlog_row_value_options: 'PARTIAL_JSON' }, /binlog_row_value_options/],
      [{ binlog_legacy_event_pos: 'OFF' }, /binlog_legacy_event_pos = ON/],
    ]
    for (const [variables, pattern] of cases) {
      assert.throws(
        () => {
          checkBinlogSettings(server(variables))
        },
        code('CDC_MYSQL_BINLOG_CONFIG', pattern),
      )
    }
  })

  it('tells whether table maps name their columns', () => {
    assert.ok(hasFullRowMetadata(server({})))
    assert.ok(!hasFullRowMetadata(server({ binlog_row_metadata: 'MINIMAL' })))
    assert.ok(!hasFullRowMetadata(server({ binlog_row_metadata: 'NO_LOG' })))
  })

  it("refuses the server's own id and another replica's", () => {
    assert.throws(
      () => {
        checkServerId(server({}), 1, [], 'me')
      },
      code('CDC_MYSQL_SERVER_ID_CLASH', /server's own/),
    )
    assert.throws(
      () => {
        checkServerId(server({}), 77, [{ serverId: 77, host: 'replica-2' }], 'me')
      },
      code('CDC_MYSQL_SERVER_ID_CLASH', /replica on replica-2/),
    )
    // Its own earlier registration (same name) is no clash.
    checkServerId(server({}), 77, [{ serverId: 77, host: 'me' }], 'me')
  })

  it('lists replicas, or none when the user may not', async () => {
    const allowed = new FakeQueryable([[/SHOW SLAVE HOSTS/, [{ Server_id: '5', Host: 'h' }]]])
    assert.deepEqual(await listReplicas(allowed, server({})), [{ serverId: 5, host: 'h' }])
    const mysql = new FakeQueryable([[/SHOW REPLICAS/, [{ Server_Id: '6', Host: 'h' }]]])
    assert.deepEqual(await listReplicas(mysql, server({}, false, 80400)), [
      { serverId: 6, host: 'h' },
    ])
    const denied = new FakeQueryable([[/SHOW/, serverError(1227, 'denied')]])
    assert.deepEqual(await listReplicas(denied, server({})), [])
  })

  it('names the grant for the binlog position on each flavor', async () => {
    const denied = new FakeQueryable([[/SHOW/, serverError(1227, 'Access denied')]])
    await assert.rejects(
      checkReplicationClient(denied, server({}), "'u'"),
      code('CDC_MYSQL_PRIVILEGE', /GRANT BINLOG MONITOR ON \*\.\* TO 'u'/),
    )
    await assert.rejects(
      checkReplicationClient(denied, server({}, false, 80036), "'u'"),
      code('CDC_MYSQL_PRIVILEGE', /GRANT REPLICATION CLIENT/),
    )
    const mysql84 = new FakeQueryable()
    await checkReplicationClient(mysql84, server({}, false, 80400), "'u'")
    assert.deepEqual(mysql84.statements, ['SHOW BINARY LOG STATUS', 'SHOW BINARY LOGS'])
  })

  it('names the tables the user may not SELECT', async () => {
    const session = new FakeQueryable([
      [/`shop`\.`secret`/, serverError(1142, 'SELECT command denied')],
    ])
    await assert.rejects(
      checkSelectPrivilege(
        session,
        [
          { database: 'shop', table: 'orders' },
          { database: 'shop', table: 'secret' },
        ],
        "'u'",
      ),
      code('CDC_MYSQL_PRIVILEGE', /lacks SELECT on shop\.secret:/),
    )
    assert.deepEqual(session.statements, [
      'SELECT 1 FROM `shop`.`orders` LIMIT 0',
      'SELECT 1 FROM `shop`.`secret` LIMIT 0',
    ])
  })

  it('names a literally included database the user cannot see', async () => {
    const session = new FakeQueryable([[/SCHEMATA/, [{ name: 'shop' }]]])
    await checkVisibleDatabases(session, compileRegexList('shop,arch.*'), "'u'")
    await assert.rejects(
      checkVisibleDatabases(session, compileRegexList('shop,billing'), "'u'"),
      code('CDC_MYSQL_PRIVILEGE', /database billing .*GRANT SELECT ON billing\.\*/),
    )
    await checkVisibleDatabases(session, null, "'u'")
  })
})
