import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Decimal } from '../../../envelope/connect-schema.ts'
import { requiredSchemaKey, schemaKey } from '../../../envelope/schema-key.ts'
import { connectDecimal, variableScaleDecimal } from '../../../envelope/semantic-types.ts'

describe('envelope/schema-key', () => {
  it('is equal for equal schemas built separately and differs on any attribute', () => {
    assert.equal(schemaKey(variableScaleDecimal()), schemaKey(variableScaleDecimal()))
    assert.notEqual(schemaKey(connectDecimal(2, 10)), schemaKey(connectDecimal(2, 11)))
    assert.notEqual(
      schemaKey(connectDecimal(2, 10, { default: Decimal.parse('1.00') })),
      schemaKey(connectDecimal(2, 10, { default: Decimal.parse('1.0') })),
    )
    assert.notEqual(
      schemaKey({ type: 'int64', optional: false, default: 1n }),
      schemaKey({ type: 'int64', optional: false, default: 2n }),
    )
  })

  it('ignores optionality only when asked for the required form', () => {
    const optional = variableScaleDecimal({ optional: true })
    assert.notEqual(schemaKey(optional), schemaKey(variableScaleDecimal()))
    assert.equal(requiredSchemaKey(optional), schemaKey(variableScaleDecimal()))
  })
})
