import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { clip } from '../../../admin-api/clip.ts'

describe('admin-api/clip', () => {
  it('keeps short text and shortens long text with its length', () => {
    assert.equal(clip('abc', 3), 'abc')
    assert.equal(clip('abcd', 3), 'abc… (4 characters)')
  })

  it('never cuts a surrogate pair in half', () => {
    const clipped = clip('ab🚀cd', 3)
    assert.equal(clipped, 'ab… (6 characters)')
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(clipped))
  })
})
