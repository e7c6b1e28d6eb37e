import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import { parseJsonBody } from '../../../admin-api/json-body.ts'

const badRequest = (pattern: RegExp) => (error: unknown) =>
  isCdcError(error) && error.code === 'CDC_API_BAD_REQUEST' && pattern.test(error.message)

describe('admin-api/json-body', () => {
  it('parses JSON and treats an empty body as none', () => {
    assert.deepEqual(parseJsonBody('{"a":[1,"b",null]}'), { a: [1, 'b', null] })
    assert.equal(parseJsonBody(''), undefined)
    assert.equal(parseJsonBody(' \n'), undefined)
  })

  it('reports where parsing stopped without quoting the body', () => {
    const body = '{"database.password": "hunter2", }'
    assert.throws(
      () => parseJsonBody(body),
      (error) =>
        badRequest(/not valid JSON \(parsing stopped at character \d+\)/)(error) &&
        !(error as Error).message.includes('hunter2'),
    )
    assert.throws(() => parseJsonBody('{"a": '), badRequest(/not valid JSON/))
  })

  it('refuses prototype-polluting keys at any depth', () => {
    assert.throws(() => parseJsonBody('{"__proto__": {"x": 1}}'), badRequest(/__proto__/))
    assert.throws(() => parseJsonBody('{"config": {"__proto__": "x"}}'), badRequest(/__proto__/))
    assert.throws(
      () => parseJsonBody('{"constructor": {"prototype": {}}}'),
      badRequest(/constructor\.prototype/),
    )
    assert.deepEqual(parseJsonBody('{"constructor": "ok"}'), { constructor: 'ok' })
  })
})
