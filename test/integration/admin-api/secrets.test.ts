import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  buildTestApp,
  captureLogs,
  createConnector,
  secretValues,
  validConfig,
} from './test-app.ts'

const getEndpoints = [
  '/',
  '/connectors',
  '/connectors?expand=info',
  '/connectors?expand=status&expand=info',
  '/connectors/a',
  '/connectors/a/config',
  '/connectors/a/status',
  '/connectors/a/tasks',
  '/connectors/a/tasks/0/status',
  '/connectors/a/topics',
  '/connectors/a/offsets',
  '/connectors/a/lag',
  '/connector-plugins',
  '/connector-plugins/postgres/config',
  '/metrics',
  '/health',
  '/docs/json',
]

const leaked = (text: string): string[] => secretValues.filter((secret) => text.includes(secret))

describe('admin API secrets', () => {
  it('never shows a secret config value in any response', async (t) => {
    const { app } = buildTestApp(t)
    await createConnector(app, 'a')
    const put = await app.inject({
      method: 'PUT',
      url: '/connectors/b/config',
      payload: validConfig(),
    })
    assert.equal(put.statusCode, 201)
    assert.deepEqual(leaked(put.body), [])
    for (const url of getEndpoints) {
      const response = await app.inject({ url })
      assert.equal(response.statusCode, 200, url)
      assert.deepEqual(leaked(response.body), [], url)
    }
    const validate = await app.inject({
      method: 'PUT',
      url: '/connector-plugins/postgres/config/validate',
      payload: validConfig(),
    })
    assert.equal(validate.statusCode, 200)
    assert.deepEqual(leaked(validate.body), [])
    // The check itself can fail: the raw config does hold the secrets.
    assert.notDeepEqual(leaked(JSON.stringify(validConfig())), [])
  })

  it('never writes a secret to the log, not even when a request fails', async (t) => {
    const { logger, lines } = captureLogs()
    const { app } = buildTestApp(t, { logger })
    const config = validConfig()
    const body = JSON.stringify({ name: 'a', config })
    const requests: Array<{ method: 'POST' | 'PUT'; url: string; payload: string; type?: string }> =
      [
        { method: 'POST', url: '/connectors', payload: body },
        { method: 'POST', url: '/connectors', payload: body },
        { method: 'PUT', url: '/connectors/a/config', payload: JSON.stringify(config) },
        {
          method: 'PUT',
          url: '/connector-plugins/postgres/config/validate',
          payload: JSON.stringify(config),
        },
        {
          method: 'POST',
          url: '/connectors',
          payload: JSON.stringify({ name: 'b', config: { ...config, 'database.port': 'x' } }),
        },
        {
          method: 'POST',
          url: '/connectors',
          payload: JSON.stringify({ name: 'c', config: { ...config, 'test.fail': 'internal' } }),
        },
        { method: 'POST', url: '/connectors', payload: body.slice(0, -3) },
        { method: 'POST', url: '/connectors', payload: body, type: 'text/plain' },
        {
          method: 'POST',
          url: '/connectors',
          payload: JSON.stringify({ name: 'd', config, extra: 1 }),
        },
      ]
    for (const request of requests) {
      const response = await app.inject({
        method: request.method,
        url: request.url,
        payload: request.payload,
        headers: { 'content-type': request.type ?? 'application/json' },
      })
      assert.deepEqual(leaked(response.body), [], `${request.method} ${request.url}`)
    }
    for (const url of getEndpoints) await app.inject({ url })

    const log = lines.join('')
    assert.deepEqual(leaked(log), [])
    // The log is not simply empty: the internal error was logged, with the secret scrubbed.
    const failure = lines
      .map(
        (line) =>
          JSON.parse(line) as {
            msg: string
            failure?: { type: string; message: string; stack: string }
          },
      )
      .find((entry) => entry.msg === 'admin API request failed')
    assert.ok(failure?.failure !== undefined, 'the 500 is logged')
    assert.equal(failure.failure.type, 'Error')
    assert.equal(failure.failure.message, 'driver failed for password [hidden]')
    assert.match(failure.failure.stack, /in-memory-connect-service/)
    assert.ok(lines.some((line) => line.includes('"code":"CDC_CONFIG_INVALID"')))
    assert.ok(lines.length > getEndpoints.length)
  })
})
