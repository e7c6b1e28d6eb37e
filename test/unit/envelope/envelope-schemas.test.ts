import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import {
  envelopeSchemaFor,
  keySchemaFor,
  transactionBlockSchema,
  valueSchemaFor,
} from '../../../envelope/envelope-schemas.ts'
import { keylessTable, ordersTable, pgSource } from './fixtures.ts'

describe('envelope/envelope-schemas', () => {
  it('names the key <topic>.Key with the key columns in key order', () => {
    const key = keySchemaFor({ ...ordersTable, keyColumns: ['region', 'id'] })
    assert.equal(key?.name, 'srv.public.orders.Key')
    assert.equal(key.optional, false)
    assert.equal(key.version, undefined)
    assert.deepEqual(
      key.fields.map((field) => field.name),
      ['region', 'id'],
    )
    assert.equal(key.fields[1]?.schema, ordersTable.columns[0]?.schema)
  })

  it('gives tables without key columns a null key schema', () => {
    assert.equal(keySchemaFor(keylessTable), null)
  })

  it('refuses key columns that are not captured', () => {
    assert.throws(
      () => keySchemaFor({ ...ordersTable, keyColumns: ['missing'] }),
      (error) => isCdcError(error) && error.message.includes('"missing"'),
    )
  })

  it('refuses column defaults that do not fit the column', () => {
    const columns = [
      { name: 'n', schema: { type: 'int64', optional: false, default: 5 }, sourceType: 'int8' },
    ] as const
    assert.throws(
      () => valueSchemaFor({ ...ordersTable, keyColumns: [], columns }),
      (error) => isCdcError(error) && error.message.includes('n (default)'),
    )
  })

  it('makes the value an optional <topic>.Value with every column', () => {
    const value = valueSchemaFor(ordersTable)
    assert.equal(value.name, 'srv.public.orders.Value')
    assert.equal(value.optional, true)
    assert.deepEqual(
      value.fields.map((field) => field.name),
      ['id', 'region', 'note'],
    )
  })

  it("lays the envelope out in Debezium 3's order, version 2", () => {
    const envelope = envelopeSchemaFor(ordersTable, pgSource)
    assert.equal(envelope.name, 'srv.public.orders.Envelope')
    assert.equal(envelope.version, 2)
    assert.deepEqual(
      envelope.fields.map((field) => [field.name, field.schema.type, field.schema.optional]),
      [
        ['before', 'struct', true],
        ['after', 'struct', true],
        ['source', 'struct', false],
        ['transaction', 'struct', true],
        ['op', 'string', false],
        ['ts_ms', 'int64', true],
        ['ts_us', 'int64', true],
        ['ts_ns', 'int64', true],
      ],
    )
    assert.equal(envelope.fields[3]?.schema, transactionBlockSchema)
    assert.equal(transactionBlockSchema.name, 'event.block')
  })

  it('builds each schema once per table and source object', () => {
    assert.equal(envelopeSchemaFor(ordersTable, pgSource), envelopeSchemaFor(ordersTable, pgSource))
    assert.equal(keySchemaFor(ordersTable), keySchemaFor(ordersTable))
  })
})
