import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Decimal } from '../../../envelope/connect-schema.ts'
import { connectValuesEqual } from '../../../envelope/connect-values.ts'

describe('envelope/connect-values', () => {
  it('compares key values structurally', () => {
    assert.ok(connectValuesEqual({ id: 1n, code: 'a' }, { id: 1n, code: 'a' }))
    assert.ok(!connectValuesEqual({ id: 1n }, { id: 2n }))
    assert.ok(!connectValuesEqual({ id: 1n }, { id: 1 }))
    assert.ok(connectValuesEqual({ id: null }, { id: undefined as unknown as null }))
    assert.ok(connectValuesEqual(Number.NaN, Number.NaN))
  })

  it('compares bytes by content and decimals with their scale, like BigDecimal.equals', () => {
    assert.ok(connectValuesEqual(Uint8Array.from([1, 2]), Uint8Array.from([1, 2])))
    assert.ok(!connectValuesEqual(Uint8Array.from([1, 2]), Uint8Array.from([1, 3])))
    assert.ok(connectValuesEqual(Decimal.parse('1.50'), Decimal.parse('1.50')))
    assert.ok(!connectValuesEqual(Decimal.parse('1.5'), Decimal.parse('1.50')))
    assert.ok(!connectValuesEqual(Decimal.parse('1'), 1))
  })

  it('compares arrays and maps element by element', () => {
    assert.ok(connectValuesEqual([1, [2n]], [1, [2n]]))
    assert.ok(!connectValuesEqual([1, 2], [1]))
    assert.ok(connectValuesEqual(new Map([['a', 1]]), new Map([['a', 1]])))
    assert.ok(!connectValuesEqual(new Map([['a', 1]]), new Map([['b', 1]])))
    assert.ok(!connectValuesEqual(new Map([['a', 1]]), { a: 1 }))
  })
})
