import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  parsePostgresConfig,
  validatePostgresConfig,
} from '../../../../connectors/postgres/config.ts'
import { configDef } from '../../../../connectors/postgres/config-def.ts'

const minimal = {
  'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
  'database.hostname': 'db',
  'database.user': 'cdc',
  'database.dbname': 'app',
  'topic.prefix': 'shop',
}

const fields = (config: Record<string, string>) =>
  validatePostgresConfig(config).map((issue) => issue.field)

describe('connectors/postgres/config', () => {
  it('accepts a minimal config and fills Debezium defaults (heartbeat on)', () => {
    assert.deepEqual(validatePostgresConfig(minimal), [])
    const config = parsePostgresConfig(minimal)
    assert.equal(config.connection.port, 5432)
    assert.equal(config.connection.sslMode, 'prefer')
    assert.equal(config.connection.password, null)
    assert.equal(config.slotName, 'debezium')
    assert.equal(config.publicationName, 'dbz_publication')
    assert.equal(config.publicationAutocreateMode, 'all_tables')
    assert.equal(config.snapshotMode, 'initial')
    assert.equal(config.snapshotFetchSize, 10240)
    assert.equal(config.tombstonesOnDelete, true)
    assert.equal(config.heartbeatIntervalMs, 10000)
    assert.equal(config.decimalHandlingMode, 'precise')
    assert.equal(config.timePrecisionMode, 'adaptive')
    assert.equal(config.provideTransactionMetadata, false)
    assert.equal(config.slotDropOnStop, false)
  })

  it('reports every problem at once, each naming its field', () => {
    const issues = validatePostgresConfig({
      'connector.class': 'mysql',
      'database.port': 'abc',
      'slot.name': 'Bad-Slot',
      'snapshot.mode': 'sometimes',
      'tombstones.on.delete': 'yes',
    })
    const names = issues.map((issue) => issue.field)
    for (const field of [
      'connector.class',
      'database.hostname',
      'database.user',
      'database.dbname',
      'topic.prefix',
      'database.port',
      'slot.name',
      'snapshot.mode',
      'tombstones.on.delete',
    ]) {
      assert.ok(names.includes(field), `${field} in ${JSON.stringify(issues)}`)
    }
    assert.throws(() => parsePostgresConfig({}), { code: 'CDC_CONFIG_INVALID' })
  })

  it('accepts the postgres alias and never as no_data', () => {
    const config = parsePostgresConfig({
      ...minimal,
      'connector.class': 'postgres',
      'snapshot.mode': 'never',
    })
    assert.equal(config.snapshotMode, 'no_data')
  })

  it('explains that only pgoutput is supported', () => {
    for (const plugin of ['decoderbufs', 'wal2json']) {
      const [issue] = validatePostgresConfig({ ...minimal, 'plugin.name': plugin })
      assert.equal(issue?.field, 'plugin.name')
      assert.match(issue.message, /pgoutput/)
    }
  })

  it('rejects include and exclude lists of the same kind together', () => {
    for (const kind of ['schema', 'table', 'column']) {
      const issues = validatePostgresConfig({
        ...minimal,
        [`${kind}.include.list`]: 'a',
        [`${kind}.exclude.list`]: 'b',
      })
      assert.deepEqual(
        issues.map((issue) => issue.field),
        [`${kind}.exclude.list`],
      )
    }
    assert.deepEqual(
      fields({ ...minimal, 'schema.include.list': 'a', 'table.exclude.list': 'a.b' }),
      [],
    )
  })

  it('rejects invalid regular expressions and malformed message.key.columns', () => {
    assert.deepEqual(fields({ ...minimal, 'table.include.list': 'public.(' }), [
      'table.include.list',
    ])
    assert.deepEqual(fields({ ...minimal, 'message.key.columns': 'public.t' }), [
      'message.key.columns',
    ])
    const config = parsePostgresConfig({
      ...minimal,
      'message.key.columns': 'public.orders:a,b; (.*).items:c',
    })
    assert.deepEqual(
      config.messageKeyColumns.map((rule) => rule.columns),
      [['a', 'b'], ['c']],
    )
    assert.ok(config.messageKeyColumns[1]?.table.test('shop.items'))
  })

  it('names unknown properties but lets Kafka Connect keys through', () => {
    const issues = validatePostgresConfig({
      ...minimal,
      'tasks.max': '1',
      'key.converter': 'x',
      'value.converter.schemas.enable': 'false',
      transforms: 'unwrap',
      'transforms.unwrap.type': 'x',
      'errors.tolerance': 'none',
      'max.batch.size': '2048',
      'slot.nmae': 'typo',
    })
    assert.deepEqual(
      issues.map((issue) => issue.field),
      ['slot.nmae'],
    )
    assert.match(issues[0]?.message ?? '', /unknown property slot\.nmae/)
  })

  it('parses filters as anchored, case-insensitive expressions', () => {
    const config = parsePostgresConfig({
      ...minimal,
      'table.include.list': 'public\\.orders,inv.*',
    })
    assert.ok(config.tables.include?.some((pattern) => pattern.test('PUBLIC.orders')))
    assert.ok(!config.tables.include?.some((pattern) => pattern.test('public.orders_archive')))
    assert.ok(config.tables.include?.some((pattern) => pattern.test('inventory.items')))
  })

  it('describes every field with a type, group and doc', () => {
    for (const field of configDef) {
      assert.ok(field.doc.length > 10 && field.group !== '', field.name)
      if (field.allowed !== undefined && field.default !== undefined)
        assert.ok(field.allowed.includes(field.default), field.name)
    }
    assert.ok(configDef.some((field) => field.name === 'topic.prefix' && field.required))
  })
})
