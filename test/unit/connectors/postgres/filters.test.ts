import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  compileRegexList,
  passes,
  splitRegexList,
} from '../../../../connectors/postgres/filters.ts'

describe('connectors/postgres/filters', () => {
  it('splits on commas outside of quantifiers and groups', () => {
    assert.deepEqual(splitRegexList('a, b{1,3},(c|d),e\\,f'), ['a', 'b{1,3}', '(c|d)', 'e,f'])
  })

  it('matches the whole name', () => {
    const include = compileRegexList('public.t')
    assert.ok(passes({ include, exclude: null }, 'public.t'))
    assert.ok(!passes({ include, exclude: null }, 'public.t2'))
    assert.ok(!passes({ include: null, exclude: include }, 'public.t'))
    assert.ok(passes({ include: null, exclude: null }, 'anything'))
  })
})
