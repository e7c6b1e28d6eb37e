import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  hstoreToJson,
  javaHashMapOrder,
  parseHstoreText,
} from '../../../../../connectors/postgres/type-mapping/hstore-text.ts'

describe('connectors/postgres/type-mapping/hstore-text', () => {
  it('parses pairs with NULL values and escapes', () => {
    assert.deepEqual(parseHstoreText('"a"=>"1", "b"=>NULL, "q\\"k"=>"x\\\\y"'), [
      ['a', '1'],
      ['b', null],
      ['q"k', 'x\\y'],
    ])
    assert.deepEqual(parseHstoreText(''), [])
  })

  it('orders keys as a java.util.HashMap iterates them', () => {
    // Java: new HashMap with "b","a","c","key10" iterates a, b, c, key10 (buckets 1, 2, 3, 13).
    assert.deepEqual(javaHashMapOrder(['b', 'a', 'c', 'key10']), ['a', 'b', 'c', 'key10'])
    // "Aa" and "BB" share a hash: same bucket, insertion order kept.
    assert.deepEqual(javaHashMapOrder(['BB', 'Aa']), ['BB', 'Aa'])
  })

  it("writes Debezium's json representation", () => {
    assert.equal(hstoreToJson('"b"=>"2", "a"=>NULL'), '{"a":null,"b":"2"}')
  })
})
