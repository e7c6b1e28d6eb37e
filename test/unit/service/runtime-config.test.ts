import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runtimeSettings, validateRuntimeConfig } from '../../../service/runtime-config.ts'

const base = { name: 'shop', 'connector.class': 'postgres' }

describe('service/runtime-config', () => {
  it('retries retriable failures for ever by default, as Debezium does; errors.max.retries bounds it', () => {
    assert.equal(runtimeSettings(base).maxRetries, Number.POSITIVE_INFINITY)
    assert.equal(runtimeSettings({ ...base, 'errors.max.retries': '0' }).maxRetries, 0)
    assert.equal(runtimeSettings({ ...base, 'errors.max.retries': '5' }).maxRetries, 5)
    assert.deepEqual(validateRuntimeConfig({ ...base, 'errors.max.retries': '-1' }), [])
    for (const bad of ['-2', 'x', '1.5', '']) {
      assert.deepEqual(
        validateRuntimeConfig({ ...base, 'errors.max.retries': bad }).map((i) => i.field),
        ['errors.max.retries'],
        bad,
      )
    }
  })

  it('refuses Kafka Connect settings it does not implement, instead of ignoring them', () => {
    const issues = validateRuntimeConfig({
      ...base,
      transforms: 'unwrap',
      'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
      'predicates.p.type': 'x',
      'producer.override.linger.ms': '5',
      'errors.tolerance': 'all',
      'header.converter': 'x',
    })
    assert.deepEqual(issues.map((issue) => issue.field).sort(), [
      'errors.tolerance',
      'header.converter',
      'predicates.p.type',
      'producer.override.linger.ms',
      'transforms',
      'transforms.unwrap.type',
    ])
    assert.match(issues[0]?.message ?? '', /does not implement .*remove it/)
    // What the runtime does anyway is accepted.
    assert.deepEqual(validateRuntimeConfig({ ...base, 'errors.tolerance': 'none' }), [])
  })

  it('keeps truncate events out of compacted topics unless told to use delete', () => {
    assert.deepEqual(
      validateRuntimeConfig({ ...base, 'skipped.operations': 'none' }).map((i) => i.field),
      ['skipped.operations'],
    )
    assert.deepEqual(
      validateRuntimeConfig({
        ...base,
        'skipped.operations': 'none',
        'topic.creation.default.cleanup.policy': 'delete',
      }),
      [],
    )
  })
})
