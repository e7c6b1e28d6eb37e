import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseArrayText } from '../../../../../connectors/postgres/type-mapping/array-text.ts'

describe('connectors/postgres/type-mapping/array-text', () => {
  it('reads quoted, escaped and NULL elements', () => {
    assert.deepEqual(parseArrayText('{}'), [])
    assert.deepEqual(parseArrayText('{1,NULL,3}'), ['1', null, '3'])
    assert.deepEqual(parseArrayText('{"a,b","NULL","x\\\\y","q\\"r"}'), [
      'a,b',
      'NULL',
      'x\\y',
      'q"r',
    ])
  })

  it('honours the type delimiter and lower-bound decorations', () => {
    assert.deepEqual(parseArrayText('{(1,1),(0,0);(2,2),(1,1)}', ';'), [
      '(1,1),(0,0)',
      '(2,2),(1,1)',
    ])
    assert.deepEqual(parseArrayText('[0:1]={5,6}'), ['5', '6'])
  })

  it('refuses multi-dimensional and malformed arrays', () => {
    assert.throws(() => parseArrayText('{{1,2},{3,4}}'), /multi-dimensional/)
    assert.throws(() => parseArrayText('{"open}'), { code: 'CDC_ENVELOPE_INVALID_VALUE' })
    assert.throws(() => parseArrayText('1,2'), { code: 'CDC_ENVELOPE_INVALID_VALUE' })
  })
})
