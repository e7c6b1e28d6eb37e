import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ValidationResult } from '../../../admin-api/connect-service.ts'
import {
  hiddenValue,
  isSecretKey,
  maskConfig,
  maskInfo,
  maskValidation,
  scrubSecrets,
  secretValues,
} from '../../../admin-api/secrets.ts'

describe('admin-api/secrets', () => {
  it('treats keys containing password, secret or token in any case as secret', () => {
    for (const key of ['database.password', 'ssl.key.SECRET', 'api.Token', 'sslpassword']) {
      assert.equal(isSecretKey(key), true, key)
    }
    for (const key of ['database.user', 'name', 'topic.prefix', 'pass']) {
      assert.equal(isSecretKey(key), false, key)
    }
  })

  it('masks secret values and keeps the others', () => {
    const config = { name: 'a', 'database.password': 'hunter2', 'api.token': '' }
    assert.deepEqual(maskConfig(config), {
      name: 'a',
      'database.password': hiddenValue,
      'api.token': hiddenValue,
    })
    const info = maskInfo({ name: 'a', config, tasks: [], type: 'source' })
    assert.equal(info.config['database.password'], hiddenValue)
    assert.equal(config['database.password'], 'hunter2', 'the input is not changed')
  })

  it('masks validate values by key and by PASSWORD type, but leaves null values', () => {
    const entry = (name: string, type: string, value: string | null) => ({
      definition: {
        name,
        type,
        required: false,
        default_value: null,
        importance: 'LOW',
        documentation: '',
        group: 'g',
        order: 1,
        width: 'NONE',
        display_name: name,
        dependents: [],
      },
      value: { name, value, recommended_values: [], errors: [], visible: true },
    })
    const result: ValidationResult = {
      name: 'p',
      error_count: 0,
      groups: ['g'],
      configs: [
        entry('database.password', 'PASSWORD', 'hunter2'),
        entry('sink.key', 'PASSWORD', 'k3y'),
        entry('database.user', 'STRING', 'bob'),
        entry('api.token', 'STRING', null),
      ],
    }
    const values = maskValidation(result).configs.map((c) => c.value.value)
    assert.deepEqual(values, [hiddenValue, hiddenValue, 'bob', null])
  })

  it('lists secret values longest first and scrubs every occurrence', () => {
    const secrets = secretValues({
      'a.password': 'abc',
      'b.secret': 'abcdef',
      'c.token': hiddenValue,
      'd.password': 5,
      user: 'abc-user',
    })
    assert.deepEqual(secrets, ['abcdef', 'abc'])
    assert.equal(
      scrubSecrets('abcdef then abc and abc', secrets),
      `${hiddenValue} then ${hiddenValue} and ${hiddenValue}`,
    )
  })
})
