import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { Decimal } from '../../../envelope/connect-schema.ts'

describe('envelope/connect-schema Decimal', () => {
  it('parses and prints decimal text exactly, beyond what a double holds', () => {
    const text = '-123456789012345678901234567890.123456789'
    const decimal = Decimal.parse(text)
    assert.equal(decimal.scale, 9)
    assert.equal(decimal.toString(), text)
    assert.equal(Decimal.parse('.5').toString(), '0.5')
    assert.equal(Decimal.parse('-0.05').toString(), '-0.05')
    assert.equal(Decimal.parse('7').toString(), '7')
  })

  it('rescales up exactly and refuses to round down', () => {
    assert.equal(Decimal.parse('1.5').rescale(3).toString(), '1.500')
    assert.equal(Decimal.parse('1.500').rescale(1).toString(), '1.5')
    assert.throws(() => Decimal.parse('1.55').rescale(1), /without rounding/)
  })

  it('rejects text that is not a plain decimal', () => {
    for (const bad of ['', '.', '1e5', 'NaN', '1.2.3', 'abc']) {
      assert.throws(() => Decimal.parse(bad), RangeError, bad)
    }
  })

  it('round-trips any unscaled value and scale', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.integer({ min: 0, max: 40 }), (unscaled, scale) => {
        const decimal = new Decimal(unscaled, scale)
        const parsed = Decimal.parse(decimal.toString())
        assert.equal(parsed.unscaled, unscaled)
        assert.equal(parsed.scale, scale)
      }),
    )
  })
})
