import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkRequestedTables } from '../../../connectors/adhoc-snapshot-tables.ts'

const captured = ['public.orders', 'public.customers', 'sales.items']

describe('connectors/adhoc-snapshot-tables', () => {
  it('returns captured tables once each, in request order', () => {
    assert.deepEqual(
      checkRequestedTables(
        'shop',
        ['sales.items', 'public.orders', 'sales.items'],
        captured,
        'schema.table',
      ),
      ['sales.items', 'public.orders'],
    )
  })

  it('names every table that is not captured, and what is, in a 400-class error', () => {
    assert.throws(
      () =>
        checkRequestedTables(
          'shop',
          ['public.orders', 'public.nope', 'Public.Orders', 'public.*'],
          captured,
          'schema.table',
        ),
      (error: Error & { code?: string; details?: Record<string, unknown> }) => {
        assert.equal(error.code, 'CDC_API_BAD_REQUEST')
        assert.equal(
          error.message,
          '"public.nope", "Public.Orders", "public.*" are not tables connector shop captures; name captured tables as schema.table, exactly as the catalog spells them (the include/exclude lists, and for PostgreSQL the publication, decide what is captured): it captures public.customers, public.orders, sales.items',
        )
        assert.deepEqual(error.details?.unknown, ['public.nope', 'Public.Orders', 'public.*'])
        return true
      },
    )
    assert.throws(() => checkRequestedTables('shop', ['x.y'], [], 'database.table'), {
      message: /^"x\.y" is not a table connector shop captures; .*: it captures no table at all$/,
    })
    assert.throws(() => checkRequestedTables('shop', [], captured, 'schema.table'), {
      message: /^the request names no table; /,
    })
  })

  it('lists at most 50 captured tables', () => {
    const many = Array.from({ length: 60 }, (_, index) => `s.t${String(index).padStart(2, '0')}`)
    assert.throws(() => checkRequestedTables('shop', ['s.nope'], many, 'schema.table'), {
      message: /s\.t49 and 10 more$/,
    })
  })
})
