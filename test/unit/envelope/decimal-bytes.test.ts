import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { bytesToUnscaled, unscaledToBytes } from '../../../envelope/decimal-bytes.ts'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('envelope/decimal-bytes', () => {
  it('writes the fewest bytes that keep the sign, like BigInteger.toByteArray', () => {
    const cases: [bigint, string][] = [
      [0n, '00'],
      [1n, '01'],
      [127n, '7f'],
      [128n, '0080'],
      [255n, '00ff'],
      [-1n, 'ff'],
      [-128n, '80'],
      [-129n, 'ff7f'],
      [32768n, '008000'],
      [-(2n ** 63n), '8000000000000000'],
    ]
    for (const [value, bytes] of cases)
      assert.equal(hex(unscaledToBytes(value)), bytes, String(value))
  })

  it('reads two-complement back, and empty bytes as zero', () => {
    assert.equal(bytesToUnscaled(Uint8Array.from([0xff, 0x7f])), -129n)
    assert.equal(bytesToUnscaled(Uint8Array.from([0x00, 0x80])), 128n)
    assert.equal(bytesToUnscaled(new Uint8Array()), 0n)
  })

  it('round-trips any integer, including 38-digit ones', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), (value) => {
        assert.equal(bytesToUnscaled(unscaledToBytes(value)), value)
      }),
    )
  })
})
