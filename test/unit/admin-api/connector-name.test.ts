import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import {
  assertConnectorName,
  connectorNameProblem,
  maxConnectorNameLength,
} from '../../../admin-api/connector-name.ts'

describe('admin-api/connector-name', () => {
  it('accepts unicode, quotes, spaces and punctuation, as Kafka Connect does', () => {
    for (const name of [
      'orders',
      'inventory "prod"',
      "o'brien",
      'naïve-日本-🚀',
      'a b',
      'a.b_c-d',
      '%41',
    ]) {
      assert.equal(connectorNameProblem(name), undefined, name)
    }
  })

  it('refuses empty, too long, control characters, slashes, dot segments and lone surrogates', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['x'.repeat(maxConnectorNameLength + 1), /at most 249/],
      ['a\u0000b', /control/],
      ['a\nb', /control/],
      ['a\u0085b', /control/],
      ['a\u007fb', /control/],
      ['a/b', /'\/'/],
      ['.', /cannot be '.'/],
      ['..', /cannot be '..'/],
      ['a\ud800b', /surrogate/],
    ]
    for (const [name, problem] of cases)
      assert.match(connectorNameProblem(name) ?? '', problem, JSON.stringify(name))
  })

  it('counts characters, not UTF-16 units', () => {
    assert.equal(connectorNameProblem('🚀'.repeat(maxConnectorNameLength)), undefined)
    assert.match(connectorNameProblem('🚀'.repeat(maxConnectorNameLength + 1)) ?? '', /has 250/)
  })

  it('throws CDC_API_BAD_REQUEST without echoing the name', () => {
    const long = 'y'.repeat(10_000)
    assert.throws(
      () => {
        assertConnectorName(long)
      },
      (error) =>
        isCdcError(error) && error.code === 'CDC_API_BAD_REQUEST' && !error.message.includes(long),
    )
    assert.doesNotThrow(() => {
      assertConnectorName('fine')
    })
  })
})
