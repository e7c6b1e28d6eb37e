import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { isCdcError } from '../../../../../common/errors.ts'
import { Decimal } from '../../../../../envelope/connect-schema.ts'
import { decodeJsonBinary } from '../../../../../connectors/mysql/protocol/json-binary.ts'
import type { JsonNode } from '../../../../../connectors/mysql/protocol/json-binary.ts'
import { jsonToText } from '../../../../../connectors/mysql/protocol/json-text.ts'
import { hex } from './builders.ts'
import type { JsonInput } from './encoders.ts'
import { encodeDecimal, encodeJson, packedDateTime, packedTime } from './encoders.ts'

const text = (doc: Buffer): string => jsonToText(decodeJsonBinary(doc))

function invalid(error: unknown): boolean {
  return isCdcError(error) && error.code === 'CDC_DECODE_INVALID'
}

describe('decodeJsonBinary (MySQL binary JSON)', () => {
  it('decodes a hand-assembled small object {"a": 1} with an inlined int16', () => {
    // type 00; count 1, size 12; key entry (offset 11, length 1); value entry (int16 1 inline); key "a"
    const doc = hex('00 0100 0c00 0b00 0100 05 0100 61')
    const value = decodeJsonBinary(doc)
    assert.deepEqual(value, new Map([['a', 1n]]))
    assert.equal(jsonToText(value), '{"a":1}')
  })

  it('decodes a hand-assembled small array [true, "xy"] with an offset string', () => {
    const doc = hex('02 0200 0d00 04 0100 0c 0a00 02 7879')
    assert.equal(text(doc), '[true,"xy"]')
  })

  it('decodes every scalar type', () => {
    const cases: [JsonInput, string][] = [
      [{ t: 'literal', v: null }, 'null'],
      [{ t: 'literal', v: true }, 'true'],
      [{ t: 'literal', v: false }, 'false'],
      [{ t: 'int16', v: -32768 }, '-32768'],
      [{ t: 'uint16', v: 65535 }, '65535'],
      [{ t: 'int32', v: -2147483648 }, '-2147483648'],
      [{ t: 'uint32', v: 4294967295 }, '4294967295'],
      [{ t: 'int64', v: -9223372036854775808n }, '-9223372036854775808'],
      [{ t: 'uint64', v: 18446744073709551615n }, '18446744073709551615'],
      [{ t: 'double', v: 2.5 }, '2.5'],
      [{ t: 'double', v: 3 }, '3.0'],
      [{ t: 'double', v: -1e-7 }, '-1e-7'],
      [{ t: 'string', v: '' }, '""'],
      [{ t: 'string', v: 'ü "q" \\ 😀\n' }, '"ü \\"q\\" \\\\ 😀\\n"'],
    ]
    for (const [input, expected] of cases)
      assert.equal(
        text(encodeJson(input)),
        expected,
        JSON.stringify(input, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
      )
  })

  it('keeps 64-bit integers exact and apart from doubles', () => {
    assert.equal(decodeJsonBinary(encodeJson({ t: 'uint64', v: 2n ** 64n - 1n })), 2n ** 64n - 1n)
    assert.equal(decodeJsonBinary(encodeJson({ t: 'int16', v: 1 })), 1n)
    assert.equal(decodeJsonBinary(encodeJson({ t: 'double', v: 1 })), 1)
  })

  it('reads string lengths of several variable-length bytes', () => {
    const long = 'x'.repeat(20000)
    assert.equal(decodeJsonBinary(encodeJson({ t: 'string', v: long })), long)
  })

  it('decodes opaque DECIMAL, DATE, TIME, DATETIME and TIMESTAMP, and keeps other opaques', () => {
    const decimal = Buffer.concat([hex('0602'), encodeDecimal('-1234.56', 6, 2)])
    const when = { year: 2015, month: 1, day: 15, hour: 23, minute: 24, second: 25, microsecond: 0 }
    const day = { ...when, hour: 0, minute: 0, second: 0 }
    const doc = encodeJson({
      t: 'array',
      items: [
        { t: 'opaque', type: 246, bytes: decimal },
        { t: 'opaque', type: 10, bytes: packedDateTime(day) },
        { t: 'opaque', type: 11, bytes: packedTime(true, 1, 2, 3, 400) },
        { t: 'opaque', type: 12, bytes: packedDateTime({ ...when, microsecond: 123456 }) },
        { t: 'opaque', type: 7, bytes: packedDateTime(when) },
        { t: 'opaque', type: 252, bytes: hex('00ff') },
      ],
    })
    const value = decodeJsonBinary(doc)
    assert.ok(Array.isArray(value))
    assert.ok(value[0] instanceof Decimal)
    assert.equal(
      jsonToText(value),
      '[-1234.56,"2015-01-15","-01:02:03.000400","2015-01-15 23:24:25.123456","2015-01-15 23:24:25.000000","base64:type252:AP8="]',
    )
  })

  it('decodes large objects and arrays, inlining int32/uint32 only there', () => {
    const members: [string, JsonInput][] = [
      ['i32', { t: 'int32', v: -5 }],
      ['u32', { t: 'uint32', v: 4000000000 }],
      ['lit', { t: 'literal', v: false }],
      ['s', { t: 'string', v: 'str' }],
    ]
    const large = encodeJson({ t: 'object', members, large: true })
    const small = encodeJson({ t: 'object', members })
    const expected = '{"i32":-5,"u32":4000000000,"lit":false,"s":"str"}'
    assert.equal(text(large), expected)
    assert.equal(text(small), expected)
    assert.ok(large.length > small.length)
    assert.equal(
      text(encodeJson({ t: 'array', items: [{ t: 'int32', v: 7 }], large: true })),
      '[7]',
    )
  })

  it('decodes nested containers and keeps member order', () => {
    const doc = encodeJson({
      t: 'object',
      members: [
        [
          'b',
          {
            t: 'array',
            items: [
              { t: 'object', members: [] },
              { t: 'array', items: [], large: true },
            ],
          },
        ],
        ['a', { t: 'object', members: [['x', { t: 'literal', v: null }]], large: true }],
      ],
    })
    assert.equal(text(doc), '{"b":[{},[]],"a":{"x":null}}')
  })

  it('round-trips arbitrary documents (property)', () => {
    const scalar = fc.oneof(
      fc.constantFrom<JsonInput>(
        { t: 'literal', v: null },
        { t: 'literal', v: true },
        { t: 'literal', v: false },
      ),
      fc.integer({ min: -32768, max: 32767 }).map((v): JsonInput => ({ t: 'int16', v })),
      fc.integer({ min: 0, max: 0xffffffff }).map((v): JsonInput => ({ t: 'uint32', v })),
      fc
        .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
        .map((v): JsonInput => ({ t: 'int64', v })),
      fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .map((v): JsonInput => ({ t: 'double', v })),
      fc.string().map((v): JsonInput => ({ t: 'string', v })),
    )
    const { value } = fc.letrec<{ value: JsonInput }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.record({
          t: fc.constant('array' as const),
          items: fc.array(tie('value'), { maxLength: 4 }),
          large: fc.boolean(),
        }),
        fc.record({
          t: fc.constant('object' as const),
          members: fc.uniqueArray(fc.tuple(fc.string({ maxLength: 6 }), tie('value')), {
            maxLength: 4,
            selector: ([k]) => k,
          }),
          large: fc.boolean(),
        }),
      ),
    }))
    const plain = (v: JsonInput): unknown => {
      switch (v.t) {
        case 'array':
          return v.items.map(plain)
        case 'object':
          return new Map(v.members.map(([k, m]) => [k, plain(m)]))
        case 'literal':
          return v.v
        case 'int16':
        case 'uint16':
        case 'int32':
        case 'uint32':
          return BigInt(v.v)
        case 'double':
          return Object.is(v.v, -0) ? -0 : v.v
        case 'int64':
        case 'uint64':
        case 'string':
          return v.v
        case 'opaque':
          return v
      }
    }
    fc.assert(
      fc.property(value, (input) => {
        assert.deepEqual(decodeJsonBinary(encodeJson(input)), plain(input) as JsonNode)
      }),
      { numRuns: 300 },
    )
  })

  it('rejects unknown types, bad literals, offsets outside the container, and empty documents', () => {
    assert.throws(() => decodeJsonBinary(hex('0d00')), invalid)
    assert.throws(() => decodeJsonBinary(hex('0407')), invalid)
    assert.throws(() => decodeJsonBinary(hex('02 0100 0700 0c 6300')), invalid)
    assert.throws(() => decodeJsonBinary(hex('02 0100 ff00 04 0100')), invalid)
    assert.throws(() => decodeJsonBinary(Buffer.alloc(0)), invalid)
  })

  it('fails with CDC_DECODE_TRUNCATED when a scalar is cut short', () => {
    assert.throws(
      () => decodeJsonBinary(hex('0c 05 6162')),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_TRUNCATED',
    )
  })
})
