import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import type { ConnectValue } from '../../../envelope/connect-schema.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import { fromStoredText, storedText } from '../../../enrichment/stored-value.ts'

describe('enrichment/stored-value', () => {
  it('reads back every kind of Connect value exactly', () => {
    const value: ConnectValue = {
      id: 2n ** 63n - 1n,
      small: -5,
      ratio: 0.1,
      nan: Number.NaN,
      inf: Number.NEGATIVE_INFINITY,
      negativeZero: -0,
      price: new Decimal(-1234567890123456789012345n, 4),
      bytes: new Uint8Array([0, 255, 7]),
      tags: ['a', null, 3n],
      attributes: new Map<string, ConnectValue>([
        ['x', 1],
        ['y', new Map([['z', true]])],
      ]),
      nested: { inner: null, flag: false, text: 'ä"\n' },
    }
    const back = fromStoredText(storedText(value))
    assert.deepEqual(back, value)
    assert.ok(Object.is((back as { negativeZero: number }).negativeZero, -0))
  })

  it('keeps struct field order, so restarted stages write identical rows', () => {
    const row = { zeta: 1, alpha: { b: 2, a: 3 }, mid: null }
    const back = fromStoredText(storedText(row)) as typeof row
    assert.deepEqual(Object.keys(back), ['zeta', 'alpha', 'mid'])
    assert.deepEqual(Object.keys(back.alpha), ['b', 'a'])
  })

  it('reports an unreadable value as a store failure', () => {
    assert.throws(
      () => fromStoredText('["?",1]'),
      (error) => isCdcError(error) && error.code === 'CDC_ENRICH_STORE_FAILED',
    )
  })
})
