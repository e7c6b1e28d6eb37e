import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { joinConnectorPlugin, joinKafkaSettings } from '../../../enrichment/join-plugin.ts'

const valid = {
  name: 'orders-enriched',
  'connector.class': 'io.cdc.enrichment.StreamTableJoin',
  'stream.topic': 'srv.public.orders',
  'table.topic': 'srv.public.customers',
  'stream.foreign.key': 'customer_id',
  'output.topic': 'orders.enriched',
  'state.dir': '/tmp/join-state',
}

describe('stream-table join plugin', () => {
  it('is registered under its class name and the short alias', () => {
    assert.equal(joinConnectorPlugin.className, 'io.cdc.enrichment.StreamTableJoin')
    assert.deepEqual(joinConnectorPlugin.aliases, ['stream-table-join'])
    assert.equal(joinConnectorPlugin.type, 'source')
  })

  it('accepts both class names and the registry URL property', () => {
    assert.deepEqual(joinConnectorPlugin.validate(valid), [])
    assert.deepEqual(
      joinConnectorPlugin.validate({
        ...valid,
        'connector.class': 'stream-table-join',
        'schema.registry.url': 'http://127.0.0.1:8081',
      }),
      [],
    )
    assert.ok(joinConnectorPlugin.configDef.some((field) => field.name === 'schema.registry.url'))
  })

  it('reports every problem, including a bad registry URL', () => {
    const issues = joinConnectorPlugin.validate({
      ...valid,
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'output.topic': 'srv.public.orders',
      'schema.registry.url': 'not a url',
    })
    assert.deepEqual(issues.map((issue) => issue.field).sort(), [
      'connector.class',
      'output.topic',
      'schema.registry.url',
    ])
  })

  it('builds a task without I/O', () => {
    const task = joinConnectorPlugin.create(valid, {
      name: 'orders-enriched',
      sink: {} as never,
      monitor: {} as never,
      logger: {} as never,
    })
    assert.equal(typeof task.run, 'function')
  })

  it('reads the brokers from KAFKA_BOOTSTRAP_SERVERS', () => {
    const saved = process.env.KAFKA_BOOTSTRAP_SERVERS
    try {
      process.env.KAFKA_BOOTSTRAP_SERVERS = 'a:9092, b:9093'
      assert.deepEqual(joinKafkaSettings('j').brokers, ['a:9092', 'b:9093'])
      delete process.env.KAFKA_BOOTSTRAP_SERVERS
      assert.deepEqual(joinKafkaSettings('j').brokers, ['127.0.0.1:9092'])
    } finally {
      if (saved === undefined) delete process.env.KAFKA_BOOTSTRAP_SERVERS
      else process.env.KAFKA_BOOTSTRAP_SERVERS = saved
    }
  })
})
