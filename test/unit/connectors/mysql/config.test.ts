import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  flavorOf,
  parseMysqlConfig,
  validateMysqlConfig,
} from '../../../../connectors/mysql/config.ts'
import { configDefFor } from '../../../../connectors/mysql/config-def.ts'
import { isCdcError } from '../../../../common/errors.ts'

const base = {
  'connector.class': 'mariadb',
  'database.hostname': 'db',
  'database.user': 'cdc',
  'database.server.id': '5400',
  'topic.prefix': 'shop',
}

describe('connectors/mysql/config', () => {
  it("applies Debezium's defaults", () => {
    const config = parseMysqlConfig(base, 'mariadb')
    assert.equal(config.flavor, 'mariadb')
    assert.deepEqual(config.connection, {
      host: 'db',
      port: 3306,
      user: 'cdc',
      password: null,
      sslMode: 'preferred',
    })
    assert.equal(config.serverId, 5400)
    assert.equal(config.snapshotMode, 'initial')
    assert.equal(config.snapshotLockingMode, 'minimal')
    assert.equal(config.decimalHandlingMode, 'precise')
    assert.equal(config.timePrecisionMode, 'adaptive_time_microseconds')
    assert.equal(config.bigintUnsignedHandlingMode, 'long')
    assert.equal(config.tombstonesOnDelete, true)
    assert.equal(config.provideTransactionMetadata, false)
    assert.equal(config.includeSchemaChanges, true)
    assert.equal(config.heartbeatIntervalMs, 10000)
    assert.deepEqual(config.databases, { include: null, exclude: null })
  })

  it('accepts each class name and alias for its flavor only', () => {
    assert.equal(flavorOf('io.debezium.connector.mysql.MySqlConnector'), 'mysql')
    assert.equal(flavorOf('io.debezium.connector.mariadb.MariaDbConnector'), 'mariadb')
    assert.equal(flavorOf('MySQL'), 'mysql')
    assert.equal(flavorOf('postgres'), null)
    assert.deepEqual(validateMysqlConfig({ ...base, 'connector.class': 'mysql' }, 'mysql'), [])
    assert.deepEqual(
      validateMysqlConfig(base, 'mysql').map((issue) => issue.field),
      ['connector.class'],
    )
  })

  it('returns every problem at once', () => {
    const issues = validateMysqlConfig(
      {
        'connector.class': 'mariadb',
        'database.port': 'x',
        'database.server.id': '0',
        'topic.prefix': 'a b',
        'snapshot.mode': 'sometimes',
        'database.include.list': 'a',
        'database.exclude.list': 'b',
        'table.include.list': '(',
        'message.key.columns': 'nocolon',
        'tombstones.on.delete': 'maybe',
        'databse.hostname': 'typo',
      },
      'mariadb',
    )
    assert.deepEqual(issues.map((issue) => issue.field).sort(), [
      'database.exclude.list',
      'database.hostname',
      'database.port',
      'database.server.id',
      'database.user',
      'databse.hostname',
      'message.key.columns',
      'snapshot.mode',
      'table.include.list',
      'tombstones.on.delete',
      'topic.prefix',
    ])
  })

  it('requires a non-zero 32-bit server id', () => {
    for (const id of ['0', '-1', '4294967296', '1.5']) {
      assert.deepEqual(
        validateMysqlConfig({ ...base, 'database.server.id': id }, 'mariadb').map((i) => i.field),
        ['database.server.id'],
        id,
      )
    }
    assert.equal(
      parseMysqlConfig({ ...base, 'database.server.id': '4294967295' }, 'mariadb').serverId,
      4294967295,
    )
  })

  it('accepts runtime keys and ignored Debezium keys, and maps schema_only to no_data', () => {
    const config = parseMysqlConfig(
      {
        ...base,
        name: 'c1',
        'tasks.max': '1',
        'key.converter': 'io.confluent.connect.avro.AvroConverter',
        'transforms.route.type': 'x',
        'schema.history.internal.kafka.topic': 'h',
        'database.server.name': 'old',
        'snapshot.mode': 'schema_only',
      },
      'mariadb',
    )
    assert.equal(config.snapshotMode, 'no_data')
  })

  it('compiles filters and key columns', () => {
    const config = parseMysqlConfig(
      {
        ...base,
        'table.include.list': 'shop\\.orders,shop\\.items{1,2}',
        'column.exclude.list': 'shop\\.orders\\.secret',
        'message.key.columns': 'shop\\.orders:a,b;shop\\.items:c',
      },
      'mariadb',
    )
    assert.equal(config.tables.include?.length, 2)
    assert.ok(config.tables.include[1]?.test('shop.itemss'))
    assert.deepEqual(
      config.messageKeyColumns.map((rule) => rule.columns),
      [['a', 'b'], ['c']],
    )
  })

  it('throws CDC_CONFIG_INVALID naming each problem', () => {
    assert.throws(
      () => parseMysqlConfig({ 'connector.class': 'mariadb' }, 'mariadb'),
      (error: unknown) =>
        isCdcError(error) &&
        error.code === 'CDC_CONFIG_INVALID' &&
        /database\.hostname is required/.test(error.message) &&
        /database\.server\.id is required/.test(error.message),
    )
  })

  it('documents every setting with Debezium names', () => {
    const names = configDefFor('mysql').map((field) => field.name)
    for (const name of [
      'database.server.id',
      'snapshot.locking.mode',
      'bigint.unsigned.handling.mode',
      'database.ssl.mode',
      'column.exclude.list',
    ]) {
      assert.ok(names.includes(name), name)
    }
  })
})
