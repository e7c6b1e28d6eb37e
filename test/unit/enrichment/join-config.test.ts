import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import { joinConfigDef } from '../../../enrichment/join-config-def.ts'
import { parseJoinConfig, validateJoinConfig } from '../../../enrichment/join-config.ts'

const minimal = {
  name: 'orders-with-customers',
  'connector.class': 'stream-table-join',
  'stream.topic': 'srv.public.orders',
  'table.topic': 'srv.public.customers',
  'stream.foreign.key': 'customer_id',
  'output.topic': 'enriched.orders',
  'state.dir': '/var/lib/cdc/orders-with-customers',
}

describe('enrichment/join-config', () => {
  it('parses a minimal config with the documented defaults', () => {
    assert.deepEqual(parseJoinConfig(minimal), {
      name: 'orders-with-customers',
      streamTopic: 'srv.public.orders',
      tableTopic: 'srv.public.customers',
      foreignKey: ['customer_id'],
      joinType: 'left',
      outputTopic: 'enriched.orders',
      outputFormat: 'json',
      idleGraceMs: 1000,
      maxWaitMs: 30_000,
      historyRetentionMs: 7 * 24 * 60 * 60 * 1000,
      stateDir: '/var/lib/cdc/orders-with-customers',
      transactionTopic: null,
    })
  })

  it('reads composite foreign keys, inner joins, Avro output and timings', () => {
    const config = parseJoinConfig({
      ...minimal,
      'stream.foreign.key': ' tenant_id , customer_id ',
      'join.type': 'INNER',
      'output.format': 'avro',
      'idle.grace.ms': '0',
      'max.wait.ms': '5000',
      'table.history.retention.ms': '86400000',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      'tasks.max': '1',
      'transaction.topic': 'srv.transaction',
    })
    assert.equal(config.transactionTopic, 'srv.transaction')
    assert.deepEqual(config.foreignKey, ['tenant_id', 'customer_id'])
    assert.equal(config.joinType, 'inner')
    assert.equal(config.outputFormat, 'avro')
    assert.deepEqual(
      [config.idleGraceMs, config.maxWaitMs, config.historyRetentionMs],
      [0, 5000, 86_400_000],
    )
  })

  it('reports every problem at once, by field', () => {
    const issues = validateJoinConfig({
      'connector.class': 'postgres',
      'stream.topic': 'orders',
      'table.topic': 'orders',
      'stream.foreign.key': 'a,,a',
      'output.topic': 'bad topic',
      'join.type': 'outer',
      'output.format': 'xml',
      'idle.grace.ms': '50000',
      'max.wait.ms': '-1',
      'table.history.retention.ms': 'week',
      'stream.forein.key': 'typo',
    })
    const fields = issues.map((issue) => issue.field).sort()
    assert.deepEqual(fields, [
      'connector.class',
      'idle.grace.ms',
      'join.type',
      'max.wait.ms',
      'output.format',
      'output.topic',
      'state.dir',
      'stream.foreign.key',
      'stream.foreign.key',
      'stream.forein.key',
      'table.history.retention.ms',
      'table.topic',
    ])
    assert.match(
      issues.find((issue) => issue.field === 'table.topic')?.message ?? '',
      /joined with itself/,
    )
  })

  it('checks that the idle grace fits into the maximum wait', () => {
    const issues = validateJoinConfig({ ...minimal, 'idle.grace.ms': '40000' })
    assert.deepEqual(
      issues.map((issue) => issue.field),
      ['idle.grace.ms'],
    )
    assert.deepEqual(
      validateJoinConfig({ ...minimal, 'output.topic': 'srv.public.orders' }).map(
        (issue) => issue.field,
      ),
      ['output.topic'],
    )
  })

  it('throws CDC_CONFIG_INVALID listing the problems', () => {
    assert.throws(
      () => parseJoinConfig({ ...minimal, 'stream.topic': '' }),
      (error) =>
        isCdcError(error) &&
        error.code === 'CDC_CONFIG_INVALID' &&
        /stream\.topic is required/.test(error.message),
    )
  })

  it('documents every field, with defaults that parse', () => {
    for (const field of joinConfigDef) assert.ok(field.doc.length > 10, field.name)
    const withDefaults = Object.fromEntries(
      joinConfigDef
        .filter((field) => field.default !== undefined)
        .map((field) => [field.name, field.default ?? '']),
    )
    assert.deepEqual(validateJoinConfig({ ...minimal, ...withDefaults }), [])
    assert.deepEqual(
      joinConfigDef.filter((field) => field.required).map((field) => field.name),
      [
        'connector.class',
        'stream.topic',
        'table.topic',
        'stream.foreign.key',
        'output.topic',
        'state.dir',
      ],
    )
  })
})
