import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import type { PluginInfo } from '../../../admin-api/connect-service.ts'
import { findPlugin, pluginNames, requirePlugin } from '../../../admin-api/plugin-lookup.ts'

const postgres: PluginInfo = {
  class: 'io.debezium.connector.postgresql.PostgresConnector',
  type: 'source',
  version: '1',
  aliases: ['postgres'],
}
const mysql: PluginInfo = {
  class: 'io.debezium.connector.mysql.MySqlConnector',
  type: 'source',
  version: '1',
  aliases: ['mysql', 'mariadb'],
}

describe('admin-api/plugin-lookup', () => {
  it("derives Kafka Connect's simple and pruned names", () => {
    assert.deepEqual(pluginNames(postgres), [
      postgres.class,
      'PostgresConnector',
      'Postgres',
      'postgres',
    ])
    assert.deepEqual(pluginNames({ ...postgres, class: 'x.Connector', aliases: [] }), [
      'x.Connector',
      'Connector',
      'Connector',
    ])
  })

  it('finds a plugin by any of its names, ignoring case', () => {
    for (const name of [mysql.class, 'MySqlConnector', 'MySql', 'mariadb', 'MARIADB']) {
      assert.equal(findPlugin([postgres, mysql], name), mysql, name)
    }
    assert.equal(findPlugin([postgres, mysql], 'oracle'), undefined)
  })

  it('answers CDC_API_PLUGIN_NOT_FOUND listing the installed plugins', () => {
    assert.throws(
      () => requirePlugin([postgres], 'oracle'),
      (error) =>
        isCdcError(error) &&
        error.code === 'CDC_API_PLUGIN_NOT_FOUND' &&
        error.message.includes(postgres.class),
    )
  })
})
