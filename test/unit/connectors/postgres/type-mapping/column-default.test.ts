import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  defaultLiteral,
  withColumnDefault,
} from '../../../../../connectors/postgres/type-mapping/column-default.ts'
import type { ValueMapping } from '../../../../../connectors/postgres/type-mapping/value-mapping.ts'

const int32: ValueMapping = {
  schema: { type: 'int32', optional: false },
  convert: (text) => {
    if (!/^-?\d+$/.test(text)) throw new Error(`not an integer: ${text}`)
    return Number(text)
  },
  fallback: 0,
  unavailable: null,
}

describe('connectors/postgres/type-mapping/column-default', () => {
  it('reads the constants pg_get_expr shows, in the server text form the converters take', () => {
    assert.equal(defaultLiteral("''::text"), '')
    assert.equal(defaultLiteral("'it''s'::character varying"), "it's")
    assert.equal(defaultLiteral("'2024-02-29'::date"), '2024-02-29')
    assert.equal(defaultLiteral("'{}'::jsonb"), '{}')
    assert.equal(defaultLiteral("'-1'::integer"), '-1')
    assert.equal(defaultLiteral('0'), '0')
    assert.equal(defaultLiteral('1.5'), '1.5')
    assert.equal(defaultLiteral('(-2.25)'), '-2.25')
    assert.equal(defaultLiteral('(-2)::numeric'), '-2')
    assert.equal(defaultLiteral('true'), 't')
    assert.equal(defaultLiteral('false'), 'f')
  })

  it('leaves out what is evaluated per row, and NULL', () => {
    for (const expression of [
      null,
      'now()',
      "nextval('orders_id_seq'::regclass)",
      'CURRENT_TIMESTAMP',
      'NULL::text',
      "('a'::text || 'b'::text)",
    ]) {
      assert.equal(defaultLiteral(expression), undefined, String(expression))
    }
  })

  it('sets the schema default through the column converter, and skips what it refuses', () => {
    assert.equal(withColumnDefault(int32, "'-1'::integer").schema.default, -1)
    assert.equal(withColumnDefault(int32, "'x'::text").schema.default, undefined)
    assert.equal(withColumnDefault(int32, 'now()'), int32)
  })
})
