import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { isCdcError } from '../../../../../common/errors.ts'
import { ByteReader } from '../../../../../connectors/mysql/protocol/byte-reader.ts'
import { decimalBinarySize, readDecimal } from '../../../../../connectors/mysql/protocol/decimal.ts'
import { hex } from './builders.ts'
import { encodeDecimal } from './encoders.ts'

function decode(bytes: Buffer, precision: number, scale: number): string {
  const reader = new ByteReader(bytes)
  const value = readDecimal(reader, precision, scale)
  assert.ok(reader.atEnd(), 'the decimal consumed every byte')
  return value.toString()
}

describe('readDecimal (NEWDECIMAL)', () => {
  it('decodes the example of MySQL decimal.c: 1234567890.1234 as DECIMAL(14,4)', () => {
    assert.equal(decode(hex('810DFB38D204D2'), 14, 4), '1234567890.1234')
    assert.equal(decode(hex('7EF204C72DFB2D'), 14, 4), '-1234567890.1234')
  })

  it('decodes DECIMAL(65,30) at its negative extreme', () => {
    // 35 integer digits: a 8-digit group (4 bytes) + 3 groups; 30 fraction digits: 3 groups + 3 digits (2 bytes).
    const positive = hex(`85F5E0FF ${'3B9AC9FF'.repeat(3)} ${'3B9AC9FF'.repeat(3)} 03E7`)
    // Negative: every byte inverted (the sign bit then reads 0).
    const negative = hex(`7A0A1F00 ${'C4653600'.repeat(3)} ${'C4653600'.repeat(3)} FC18`)
    const nines = `${'9'.repeat(35)}.${'9'.repeat(30)}`
    assert.equal(decimalBinarySize(65, 30), 30)
    assert.equal(decode(positive, 65, 30), nines)
    assert.equal(decode(negative, 65, 30), `-${nines}`)
  })

  it('decodes small values, zero and pure fractions exactly at the column scale', () => {
    assert.equal(decode(encodeDecimal('-0.5', 4, 4), 4, 4), '-0.5000')
    assert.equal(decode(encodeDecimal('0.000000001', 9, 9), 9, 9), '0.000000001')
    assert.equal(decode(encodeDecimal('0', 10, 2), 10, 2), '0.00')
    assert.equal(decode(encodeDecimal('-1234.56', 6, 2), 6, 2), '-1234.56')
    assert.equal(decode(encodeDecimal('7', 1, 0), 1, 0), '7')
  })

  it('round-trips any precision, scale and digits (property)', () => {
    const arbitrary = fc
      .integer({ min: 1, max: 65 })
      .chain((precision) =>
        fc.tuple(
          fc.constant(precision),
          fc.integer({ min: 0, max: Math.min(30, precision) }),
          fc.boolean(),
        ),
      )
      .chain(([precision, scale, negative]) =>
        fc.tuple(
          fc.constant(precision),
          fc.constant(scale),
          fc.constant(negative),
          fc.string({
            unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'),
            minLength: precision,
            maxLength: precision,
          }),
        ),
      )
    fc.assert(
      fc.property(arbitrary, ([precision, scale, negative, digits]) => {
        const intPart = digits.slice(0, precision - scale).replace(/^0+/, '') || '0'
        const fracPart = digits.slice(precision - scale)
        const text = `${negative && /[1-9]/.test(digits) ? '-' : ''}${intPart}${scale > 0 ? `.${fracPart}` : ''}`
        const bytes = encodeDecimal(text, precision, scale)
        assert.equal(bytes.length, decimalBinarySize(precision, scale))
        assert.equal(decode(bytes, precision, scale), text)
      }),
      { numRuns: 500 },
    )
  })

  it('rejects a precision/scale the server cannot write and corrupt digit groups', () => {
    const invalid = (error: unknown): boolean =>
      isCdcError(error) && error.code === 'CDC_DECODE_INVALID'
    assert.throws(() => readDecimal(new ByteReader(Buffer.alloc(40)), 66, 0), invalid)
    assert.throws(() => readDecimal(new ByteReader(Buffer.alloc(40)), 10, 11), invalid)
    // A 9-digit group holding 1 000 000 000.
    assert.throws(() => readDecimal(new ByteReader(hex('BB9ACA00')), 9, 0), invalid)
  })

  it('fails with CDC_DECODE_TRUNCATED when the value is short', () => {
    assert.throws(
      () => readDecimal(new ByteReader(hex('810DFB')), 14, 4),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_TRUNCATED',
    )
  })
})
