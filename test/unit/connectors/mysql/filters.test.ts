import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  compileRegexList,
  isCapturedTable,
  noFilter,
  parseKeyColumns,
  passes,
  splitRegexList,
} from '../../../../connectors/mysql/filters.ts'

describe('connectors/mysql/filters', () => {
  it('splits on top-level commas only', () => {
    assert.deepEqual(splitRegexList('a, b{1,2} ,c\\,d,(e,f)'), ['a', 'b{1,2}', 'c,d', '(e,f)'])
  })

  it('matches whole names, ignoring case', () => {
    const filter = { include: compileRegexList('shop\\.ord.*'), exclude: null }
    assert.ok(passes(filter, 'SHOP.orders'))
    assert.ok(!passes(filter, 'xshop.orders'))
    assert.ok(!passes({ include: null, exclude: compileRegexList('shop') }, 'shop'))
    assert.ok(passes(noFilter, 'anything'))
  })

  it('never captures the system databases', () => {
    const filters = { databases: noFilter, tables: noFilter, columns: noFilter }
    assert.ok(!isCapturedTable(filters, 'mysql', 'user'))
    assert.ok(!isCapturedTable(filters, 'performance_schema', 'threads'))
    assert.ok(isCapturedTable(filters, 'shop', 'orders'))
    const only = {
      ...filters,
      tables: { include: compileRegexList('shop\\.orders'), exclude: null },
    }
    assert.ok(!isCapturedTable(only, 'shop', 'items'))
  })

  it('parses message.key.columns and rejects malformed entries', () => {
    const [rule] = parseKeyColumns(' shop\\.orders : a , b ;')
    assert.ok(rule?.table.test('shop.orders'))
    assert.deepEqual(rule?.columns, ['a', 'b'])
    assert.throws(() => parseKeyColumns('shop.orders'), /not <database\.table regex>/)
    assert.throws(() => parseKeyColumns('shop.orders:'), /not <database\.table regex>/)
  })
})
