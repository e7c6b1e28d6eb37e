import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CdcError } from '../../../common/errors.ts'
import type { ErrorCode } from '../../../common/errors.ts'
import { errorReply, internalErrorMessage } from '../../../admin-api/error-reply.ts'

describe('admin-api/error-reply', () => {
  it('maps CdcError codes to the statuses Kafka Connect uses', () => {
    const expected: Array<[ErrorCode, number]> = [
      ['CDC_API_CONNECTOR_NOT_FOUND', 404],
      ['CDC_API_PLUGIN_NOT_FOUND', 404],
      ['CDC_API_TASK_NOT_FOUND', 404],
      ['CDC_API_CONNECTOR_EXISTS', 409],
      ['CDC_API_CONFLICT', 409],
      ['CDC_API_REBALANCING', 409],
      ['CDC_CONFIG_INVALID', 400],
      ['CDC_API_BAD_REQUEST', 400],
      ['CDC_API_UNAUTHORIZED', 401],
      ['CDC_API_METHOD_NOT_ALLOWED', 405],
      ['CDC_API_BODY_TOO_LARGE', 413],
      ['CDC_API_UNSUPPORTED_MEDIA_TYPE', 415],
    ]
    for (const [code, status] of expected) {
      const reply = errorReply(new CdcError(code, `msg ${code}`))
      assert.deepEqual(reply.body, { error_code: status, message: `msg ${code}`, code }, code)
      assert.equal(reply.statusCode, status)
      assert.equal(reply.serverError, false)
    }
  })

  it('finds a CdcError in the cause chain', () => {
    const wrapped = new Error('outer', { cause: new CdcError('CDC_API_CONFLICT', 'not stopped') })
    assert.equal(errorReply(wrapped).statusCode, 409)
  })

  it('lists every config issue in the message', () => {
    const error = new CdcError('CDC_CONFIG_INVALID', 'bad', {
      details: {
        issues: [
          { field: 'database.port', message: 'must be an integer' },
          { field: 'topic.prefix', message: 'is required' },
        ],
      },
    })
    const { message } = errorReply(error).body
    assert.match(message, /following 2 error\(s\)/)
    assert.match(message, /^database\.port: must be an integer$/m)
    assert.match(message, /^topic\.prefix: is required$/m)
    const withoutIssues = new CdcError('CDC_CONFIG_INVALID', 'bad port', {
      details: { issues: [] },
    })
    assert.equal(errorReply(withoutIssues).body.message, 'bad port')
  })

  it('keeps the message of other CdcErrors: 503 when retriable, else 500', () => {
    const down = errorReply(new CdcError('CDC_KAFKA_CONNECTION', 'Kafka down', { retriable: true }))
    assert.equal(down.statusCode, 503)
    assert.equal(down.body.message, 'Kafka down')
    assert.equal(down.serverError, true)
    assert.equal(errorReply(new CdcError('CDC_KAFKA_TOPIC_CONFIG', 'bad topic')).statusCode, 500)
  })

  it('hides the details of anything else behind a generic 500', () => {
    for (const thrown of [new TypeError('x is undefined: secret'), 'a string', null, 42]) {
      const reply = errorReply(thrown)
      assert.deepEqual(reply.body, {
        error_code: 500,
        message: internalErrorMessage,
        code: 'CDC_API_INTERNAL',
      })
      assert.equal(reply.serverError, true)
    }
  })

  it('maps framework errors to 4xx in the same shape', () => {
    const fst = (code: string, statusCode: number) =>
      Object.assign(new Error(code), { code, statusCode })
    assert.equal(
      errorReply(fst('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), 'text/plain').body.code,
      'CDC_API_UNSUPPORTED_MEDIA_TYPE',
    )
    assert.match(
      errorReply(fst('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), 'text/plain').body.message,
      /"text\/plain"/,
    )
    assert.equal(errorReply(fst('FST_ERR_CTP_BODY_TOO_LARGE', 413)).statusCode, 413)
    assert.equal(errorReply(fst('FST_ERR_BAD_URL', 400)).body.code, 'CDC_API_BAD_REQUEST')
    assert.equal(errorReply(fst('FST_ERR_MAX_PARAM_LENGTH', 414)).statusCode, 400)
    assert.equal(errorReply(fst('FST_ERR_SOMETHING', 408)).statusCode, 408)
    const validation = Object.assign(new Error('v'), {
      validation: [{ instancePath: '/name', keyword: 'type', params: { type: 'string' } }],
      validationContext: 'body',
    })
    assert.match(errorReply(validation).body.message, /body\.name must be a string/)
  })
})
