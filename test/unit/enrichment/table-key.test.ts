import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Decimal } from '../../../envelope/connect-schema.ts'
import { keyFieldNames, keyValues, tableKeyText } from '../../../enrichment/table-key.ts'

describe('enrichment/table-key', () => {
  it('gives a JSON number and an int64 of the same value one key text', () => {
    assert.equal(tableKeyText([5]), tableKeyText([5n]))
    assert.equal(tableKeyText([2n ** 64n]), '[18446744073709551616]')
    assert.notEqual(tableKeyText(['5']), tableKeyText([5]))
    assert.notEqual(tableKeyText([1.5]), tableKeyText(['1.5']))
    assert.notEqual(tableKeyText([new Decimal(15n, 1)]), tableKeyText([new Decimal(150n, 2)]))
    assert.notEqual(tableKeyText(['a', 'b']), tableKeyText(['a,"b']))
  })

  it('reads key values in the schema’s field order, else in member order', () => {
    const schema = {
      type: 'struct' as const,
      optional: false,
      name: 'k',
      fields: [
        { name: 'tenant', schema: { type: 'string' as const, optional: false } },
        { name: 'id', schema: { type: 'int64' as const, optional: false } },
      ],
    }
    assert.deepEqual(keyValues({ id: 7n, tenant: 't' }, schema), ['t', 7n])
    assert.deepEqual(keyValues({ id: 7n, tenant: 't' }, null), [7n, 't'])
    assert.deepEqual(keyValues(42n, null), [42n])
    assert.deepEqual(keyFieldNames({ id: 7n, tenant: 't' }, schema), ['tenant', 'id'])
  })
})
