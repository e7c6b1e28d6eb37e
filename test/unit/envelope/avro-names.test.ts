import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import {
  adjustAvroFieldName,
  adjustAvroFullName,
  checkAvroName,
  isValidAvroName,
} from '../../../envelope/avro-names.ts'

describe('envelope/avro-names', () => {
  it('accepts only Avro names', () => {
    assert.ok(isValidAvroName('_a1'))
    assert.ok(!isValidAvroName('1a'))
    assert.ok(!isValidAvroName('a-b'))
    assert.ok(!isValidAvroName(''))
    assert.ok(!isValidAvroName('é'))
  })

  it('throws CDC_ENVELOPE_INVALID_NAME naming the offender and the fix', () => {
    assert.throws(
      () => {
        checkAvroName('order-items', 'record name', 'db.public.order-items.Value')
      },
      (error) =>
        isCdcError(error) &&
        error.code === 'CDC_ENVELOPE_INVALID_NAME' &&
        error.message.includes('"order-items"') &&
        error.message.includes('schema.name.adjustment.mode=avro'),
    )
  })

  it("adjusts names the way Debezium's avro mode does", () => {
    assert.equal(adjustAvroFullName('srv.public.order-items'), 'srv.public.order_items')
    assert.equal(adjustAvroFieldName('unit price'), 'unit_price')
    assert.equal(adjustAvroFieldName('a.b'), 'a_b')
    assert.equal(adjustAvroFieldName('1st'), '_1st')
    assert.equal(adjustAvroFieldName('-x'), '_x')
    assert.equal(adjustAvroFieldName('😀'), '__')
  })
})
