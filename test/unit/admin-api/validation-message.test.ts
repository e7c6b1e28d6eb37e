import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { validationMessage } from '../../../admin-api/validation-message.ts'

describe('admin-api/validation-message', () => {
  it('names each problem with where it is', () => {
    const message = validationMessage('body', [
      { instancePath: '', keyword: 'required', params: { missingProperty: 'config' } },
      {
        instancePath: '',
        keyword: 'additionalProperties',
        params: { additionalProperty: 'extra' },
      },
      {
        instancePath: '/config/tasks.max',
        keyword: 'type',
        params: { type: 'string,number,boolean' },
      },
      { instancePath: '/name', keyword: 'type', params: { type: 'string' } },
      { instancePath: '/offsets/0/offset', keyword: 'type', params: { type: 'object,null' } },
    ])
    assert.match(message, /body is missing the required field "config"/)
    assert.match(message, /body has the unknown field "extra"/)
    assert.match(message, /body\.config\["tasks\.max"\] must be a string, a number or a boolean/)
    assert.match(message, /body\.name must be a string/)
    assert.match(message, /body\.offsets\[0\]\.offset must be an object or null/)
  })

  it('names query and path parameters and enums', () => {
    assert.match(
      validationMessage('querystring', [
        { instancePath: '/expand', keyword: 'enum', params: { allowedValues: ['status', 'info'] } },
      ]),
      /query parameter "expand" must be one of "status", "info"/,
    )
    assert.match(
      validationMessage('params', [
        {
          instancePath: '/task',
          keyword: 'pattern',
          params: {},
          message: 'must match pattern "^[0-9]+$"',
        },
      ]),
      /path parameter "task" must match pattern/,
    )
  })

  it('clips huge field names and caps the number of problems', () => {
    const huge = 'k'.repeat(1_000_000)
    const issues = Array.from({ length: 50 }, (_, i) => ({
      instancePath: '',
      keyword: 'additionalProperties',
      params: { additionalProperty: `${i}${huge}` },
    }))
    const message = validationMessage('body', issues)
    assert.ok(message.length < 5000, `message has ${message.length} characters`)
    assert.match(message, /and 40 more problems/)
  })
})
