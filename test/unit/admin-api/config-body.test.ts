import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import {
  restoreHiddenSecrets,
  toConfigMap,
  withConnectorName,
} from '../../../admin-api/config-body.ts'

const badRequest = (pattern: RegExp) => (error: unknown) =>
  isCdcError(error) && error.code === 'CDC_API_BAD_REQUEST' && pattern.test(error.message)

describe('admin-api/config-body', () => {
  it('stores numbers and booleans as their text, as Kafka Connect (Jackson) does', () => {
    assert.deepEqual(toConfigMap({ 'tasks.max': 1, enabled: true, ratio: 0.5, s: 'x' }), {
      'tasks.max': '1',
      enabled: 'true',
      ratio: '0.5',
      s: 'x',
    })
  })

  it('adds the name when absent and refuses a different one', () => {
    assert.deepEqual(withConnectorName('a', { x: '1' }), { x: '1', name: 'a' })
    assert.deepEqual(withConnectorName('a', { name: 'a' }), { name: 'a' })
    assert.throws(() => withConnectorName('a', { name: 'b' }), badRequest(/\(b\).*\(a\)/))
  })

  it('keeps stored secrets that come back as the mask, and only for secret keys', () => {
    const stored = { 'database.password': 'hunter2', note: 'n' }
    assert.deepEqual(
      restoreHiddenSecrets({ 'database.password': '[hidden]', note: '[hidden]' }, stored),
      { 'database.password': 'hunter2', note: '[hidden]' },
    )
    assert.deepEqual(restoreHiddenSecrets({ 'database.password': 'new' }, stored), {
      'database.password': 'new',
    })
  })

  it('refuses the mask when there is no stored secret to keep', () => {
    assert.throws(
      () => restoreHiddenSecrets({ 'api.token': '[hidden]' }, undefined),
      badRequest(/"api\.token" has the value "\[hidden\]"/),
    )
    assert.throws(
      () => restoreHiddenSecrets({ 'api.token': '[hidden]', 'x.secret': '[hidden]' }, {}),
      badRequest(/have the value/),
    )
  })
})
