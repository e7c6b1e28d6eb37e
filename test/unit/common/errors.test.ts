import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { CdcError, errorCodes, findCdcError, isCdcError } from '../../../common/errors.ts'

describe('common/errors', () => {
  it('finds a CdcError anywhere in a cause chain', () => {
    const root = new CdcError('CDC_KAFKA_CONNECTION', 'broker down', { retriable: true })
    const wrapped = new Error('outer', { cause: new Error('middle', { cause: root }) })
    assert.equal(findCdcError(wrapped), root)
    assert.equal(findCdcError(new Error('plain')), undefined)
  })

  it('serializes code, message, retriable and details', () => {
    const error = new CdcError('CDC_CONFIG_INVALID', 'bad', { details: { field: 'slot.name' } })
    assert.ok(isCdcError(error))
    assert.deepEqual(JSON.parse(JSON.stringify(error)), {
      code: 'CDC_CONFIG_INVALID',
      message: 'bad',
      retriable: false,
      details: { field: 'slot.name' },
    })
  })

  it('documents every code in docs/errors.md, and nothing else', () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
    const documented = new Set(
      [...doc.matchAll(/^\| `(CDC_[A-Z0-9_]+)`/gm)].map((match) => match[1]),
    )
    assert.deepEqual([...documented].sort(), [...errorCodes].sort())
  })
})
