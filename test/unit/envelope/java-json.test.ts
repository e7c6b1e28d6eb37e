import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  JsonEntries,
  JsonNumberText,
  javaBigDecimalText,
  javaDoubleText,
  javaFloatText,
  quoteJson,
  stringifyJson,
} from '../../../envelope/java-json.ts'

describe('envelope/java-json', () => {
  it('prints doubles as Double.toString does', () => {
    const cases: [number, string][] = [
      [1, '1.0'],
      [0.1, '0.1'],
      [-2.5, '-2.5'],
      [0.001, '0.001'],
      [0.0001, '1.0E-4'],
      [9999999, '9999999.0'],
      [1e7, '1.0E7'],
      [123456789.123, '1.23456789123E8'],
      [1e21, '1.0E21'],
      [1.7976931348623157e308, '1.7976931348623157E308'],
      [5e-324, '4.9E-324'],
      [0, '0.0'],
      [-0, '-0.0'],
      [Number.NaN, '"NaN"'],
      [Number.POSITIVE_INFINITY, '"Infinity"'],
      [Number.NEGATIVE_INFINITY, '"-Infinity"'],
    ]
    for (const [value, text] of cases) assert.equal(javaDoubleText(value), text, String(value))
  })

  it('prints floats as Float.toString does, from the 32-bit value', () => {
    const cases: [number, string][] = [
      [0.1, '0.1'],
      [Math.fround(0.1), '0.1'],
      [1.1, '1.1'],
      [100, '100.0'],
      [16777216, '1.6777216E7'],
      [3.4028234663852886e38, '3.4028235E38'],
      [1.401298464324817e-45, '1.4E-45'],
      [1e-5, '1.0E-5'],
      [2.802596928649634e-45, '2.8E-45'],
      [-0, '-0.0'],
    ]
    for (const [value, text] of cases) assert.equal(javaFloatText(value), text, String(value))
  })

  it('prints floats with the fewest digits that read back as the same float', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = javaFloatText(value)
        assert.equal(Math.fround(Number(text)), Math.fround(value))
      }),
    )
  })

  it('prints doubles that read back as the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        assert.ok(Object.is(Number(javaDoubleText(value)), value), String(value))
      }),
    )
  })

  it('prints BigDecimal text, switching to E notation where Java does', () => {
    const cases: [bigint, number, string][] = [
      [123n, 2, '1.23'],
      [-5n, 0, '-5'],
      [0n, 2, '0.00'],
      [0n, 8, '0E-8'],
      [1n, 7, '1E-7'],
      [12345n, 10, '0.0000012345'],
      [12345n, 11, '1.2345E-7'],
      [-12345n, 11, '-1.2345E-7'],
      [1n, -3, '1E+3'],
    ]
    for (const [unscaled, scale, text] of cases) {
      assert.equal(javaBigDecimalText(unscaled, scale), text, `${unscaled}e-${scale}`)
    }
  })

  it('escapes strings as Jackson does', () => {
    assert.equal(quoteJson('a"b\\c'), '"a\\"b\\\\c"')
    assert.equal(quoteJson('\t\n\r\b\f'), '"\\t\\n\\r\\b\\f"')
    assert.equal(quoteJson('\u0001\u001f'), '"\\u0001\\u001F"')
    assert.equal(quoteJson('/é\u2028'), '"/é\u2028"')
  })

  it('writes trees compactly, int64 exactly and ordered entries in their order', () => {
    const tree = {
      a: 1,
      big: 2n ** 63n - 1n,
      f: new JsonNumberText('1.0E10'),
      skipped: undefined,
      list: [null, true, 'x'],
      ordered: new JsonEntries([
        ['b', 1],
        ['10', 2],
        ['2', 3],
      ]),
    }
    assert.equal(
      stringifyJson(tree),
      '{"a":1,"big":9223372036854775807,"f":1.0E10,"list":[null,true,"x"],"ordered":{"b":1,"10":2,"2":3}}',
    )
    assert.throws(() => stringifyJson({ fraction: 0.5 }), RangeError)
  })
})
