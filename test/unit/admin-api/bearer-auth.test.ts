import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  bearerTokenError,
  bearerTokenMatches,
  isPublicEndpoint,
} from '../../../admin-api/bearer-auth.ts'

describe('admin-api/bearer-auth', () => {
  it('accepts exactly the configured token, with the scheme in any case', () => {
    assert.equal(bearerTokenMatches('Bearer s3cret', 's3cret'), true)
    assert.equal(bearerTokenMatches('bearer s3cret', 's3cret'), true)
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Basic s3cret',
      'Bearer s3cre',
      'Bearer s3cret2',
      's3cret',
      'Bearer s3 cret',
    ]) {
      assert.equal(bearerTokenMatches(header, 's3cret'), false, String(header))
    }
  })

  it('gives a 401 error that never contains the token', () => {
    const missing = bearerTokenError(undefined, 's3cret')
    const wrong = bearerTokenError('Bearer nope', 's3cret')
    assert.equal(missing?.code, 'CDC_API_UNAUTHORIZED')
    assert.equal(wrong?.code, 'CDC_API_UNAUTHORIZED')
    assert.notEqual(missing.message, wrong.message)
    assert.ok(!`${missing.message} ${wrong.message}`.includes('s3cret'))
    assert.equal(bearerTokenError('Bearer s3cret', 's3cret'), undefined)
  })

  it('leaves only GET and HEAD of /health and /metrics public', () => {
    assert.equal(isPublicEndpoint('GET', '/health'), true)
    assert.equal(isPublicEndpoint('HEAD', '/metrics'), true)
    assert.equal(isPublicEndpoint('POST', '/health'), false)
    assert.equal(isPublicEndpoint('GET', '/connectors'), false)
    assert.equal(isPublicEndpoint('GET', undefined), false)
  })
})
