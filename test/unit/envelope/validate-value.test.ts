import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import type { ConnectSchema, StructSchema } from '../../../envelope/connect-schema.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import { connectDecimal } from '../../../envelope/semantic-types.ts'
import { describeValue, validateValue } from '../../../envelope/validate-value.ts'

const row: StructSchema = {
  type: 'struct',
  optional: true,
  name: 't.Value',
  fields: [
    { name: 'id', schema: { type: 'int32', optional: false } },
    { name: 'big', schema: { type: 'int64', optional: true } },
    { name: 'price', schema: connectDecimal(2, 10, { optional: true }) },
    {
      name: 'tags',
      schema: { type: 'array', optional: true, items: { type: 'string', optional: false } },
    },
    {
      name: 'attrs',
      schema: {
        type: 'map',
        optional: true,
        keys: { type: 'string', optional: false },
        values: { type: 'int16', optional: false },
      },
    },
  ],
}

function failure(schema: ConnectSchema, value: unknown): { message: string; field: unknown } {
  try {
    validateValue(schema, value, 'db.public.t', 'after')
  } catch (error) {
    assert.ok(isCdcError(error))
    assert.equal(error.code, 'CDC_ENVELOPE_INVALID_VALUE')
    return { message: error.message, field: error.details.field }
  }
  assert.fail('expected the value to be rejected')
}

describe('envelope/validate-value', () => {
  it('accepts values in Connect representation', () => {
    validateValue(
      row,
      { id: 1, big: 2n ** 62n, price: Decimal.parse('1.5'), tags: ['a'] },
      't',
      'after',
    )
    validateValue(row, null, 't', 'after')
    validateValue(row, { id: -2147483648, attrs: new Map([['k', 32767]]) }, 't', 'after')
  })

  it('names topic, field and value for a string in an int32 column', () => {
    const { message, field } = failure(row, { id: 'abc' })
    assert.equal(field, 'after.id')
    assert.match(message, /db\.public\.t/)
    assert.match(message, /after\.id/)
    assert.match(message, /string "abc"/)
  })

  it('rejects a missing non-optional field', () => {
    const { message, field } = failure(row, { big: 1n })
    assert.equal(field, 'after.id')
    assert.match(message, /required/)
  })

  it('rejects a number for int64 and out-of-range integers', () => {
    assert.equal(failure(row, { id: 1, big: 5 }).field, 'after.big')
    assert.match(failure(row, { id: 1, big: 5 }).message, /bigint/)
    assert.equal(failure(row, { id: 1, big: 2n ** 63n }).field, 'after.big')
    assert.equal(failure(row, { id: 2147483648 }).field, 'after.id')
    assert.equal(failure(row, { id: 1.5 }).field, 'after.id')
  })

  it('rejects fields the schema does not have', () => {
    assert.match(failure(row, { id: 1, extra: 1 }).message, /"extra" is not in struct t\.Value/)
  })

  it('rejects decimals that would need rounding, and non-Decimal values for Decimal', () => {
    assert.equal(failure(row, { id: 1, price: Decimal.parse('1.234') }).field, 'after.price')
    assert.equal(failure(row, { id: 1, price: 1.5 }).field, 'after.price')
  })

  it('checks array items and map keys and values with their paths', () => {
    assert.equal(failure(row, { id: 1, tags: ['a', null] }).field, 'after.tags[1]')
    assert.equal(failure(row, { id: 1, tags: 'a' }).field, 'after.tags')
    assert.equal(
      failure(row, { id: 1, attrs: new Map([['k', 40000]]) }).field,
      'after.attrs[string "k"]',
    )
    assert.equal(failure(row, { id: 1, attrs: { k: 1 } }).field, 'after.attrs')
  })

  it('rejects other object shapes where a struct is expected', () => {
    for (const value of [[1], new Map(), new Uint8Array(), Decimal.parse('1')]) {
      assert.equal(failure(row, value).field, 'after')
    }
  })

  it('describes values unambiguously', () => {
    assert.equal(describeValue(5n), 'bigint 5')
    assert.equal(describeValue(5), 'number 5')
    assert.equal(describeValue(undefined), 'nothing (field missing)')
    assert.equal(describeValue(new Uint8Array(3)), 'bytes of length 3')
    assert.equal(describeValue(Decimal.parse('1.50')), 'Decimal 1.50 (scale 2)')
    assert.equal(describeValue('x'.repeat(100)).length < 100, true)
  })
})
