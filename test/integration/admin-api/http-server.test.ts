import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import fc from 'fast-check'
import { startAdminServer } from '../../../admin-api/server.ts'
import type { AdminServer } from '../../../admin-api/server.ts'
import { isCdcError } from '../../../common/errors.ts'
import { badRequests } from './malformed-cases.ts'
import { assertErrorBody, buildTestApp, secretValues, validConfig } from './test-app.ts'
import type { AdminAppOptions } from '../../../admin-api/app.ts'

async function startServer(
  t: TestContext,
  options: Partial<Omit<AdminAppOptions, 'service'>> = {},
): Promise<AdminServer> {
  const { app } = buildTestApp(t, options)
  const server = await startAdminServer(app, { port: 0 })
  t.after(() => server.close())
  return server
}

function client(server: AdminServer, headers: Record<string, string> = {}) {
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
    const text = await response.text()
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: () => JSON.parse(text) as unknown,
    }
  }
}

describe('admin API on a listening server (fetch)', () => {
  it('listens on 127.0.0.1 by default and runs the whole connector lifecycle', async (t) => {
    const server = await startServer(t)
    assert.equal(server.host, '127.0.0.1')
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/)
    const call = client(server)

    const created = await call('POST', '/connectors', { name: 'orders ü', config: validConfig() })
    assert.equal(created.status, 201, created.text)
    assert.equal(created.headers.get('location'), '/connectors/orders%20%C3%BC')
    const name = encodeURIComponent('orders ü')
    assert.deepEqual((await call('GET', '/connectors')).json(), ['orders ü'])
    const expanded = (await call('GET', '/connectors?expand=info&expand=status')).json() as Record<
      string,
      { status: { connector: { state: string } }; info: { name: string } }
    >
    assert.equal(expanded['orders ü']?.status.connector.state, 'RUNNING')
    assert.equal(expanded['orders ü'].info.name, 'orders ü')

    const config = (await call('GET', `/connectors/${name}/config`)).json() as Record<
      string,
      string
    >
    assert.equal(config['database.password'], '[hidden]')
    const put = await call('PUT', `/connectors/${name}/config`, { ...config, 'topic.prefix': 'p2' })
    assert.equal(put.status, 200, put.text)

    assert.equal((await call('PUT', `/connectors/${name}/pause`)).status, 202)
    assert.equal((await call('PUT', `/connectors/${name}/resume`)).status, 202)
    const snapshot = await call('POST', `/connectors/${name}/snapshots`, {
      'data-collections': ['public.orders'],
    })
    assert.equal(snapshot.status, 202, snapshot.text)
    assert.equal((await call('POST', `/connectors/${name}/restart`)).status, 204)
    const restarted = await call(
      'POST',
      `/connectors/${name}/restart?includeTasks=true&onlyFailed=true`,
    )
    assert.equal(restarted.status, 202)
    assert.equal((restarted.json() as { name: string }).name, 'orders ü')
    assert.equal((await call('GET', `/connectors/${name}/tasks/0/status`)).status, 200)
    assert.equal((await call('GET', `/connectors/${name}/topics`)).status, 200)
    assert.equal((await call('GET', `/connectors/${name}/lag`)).status, 200)

    const offsets = { offsets: [{ partition: { server: 'shop' }, offset: { lsn: '0/2' } }] }
    const early = await call('PATCH', `/connectors/${name}/offsets`, offsets)
    assertErrorBody(early.status, early.text, { status: 409, code: 'CDC_API_CONFLICT' })
    assert.equal((await call('PUT', `/connectors/${name}/stop`)).status, 204)
    assert.equal((await call('PATCH', `/connectors/${name}/offsets`, offsets)).status, 200)
    assert.deepEqual((await call('GET', `/connectors/${name}/offsets`)).json(), offsets)
    assert.equal((await call('DELETE', `/connectors/${name}/offsets`)).status, 200)

    const status = await call('GET', `/connectors/${name}/status`)
    assert.equal((status.json() as { connector: { state: string } }).connector.state, 'STOPPED')
    for (const secret of secretValues) assert.ok(!status.text.includes(secret))

    assert.equal((await call('DELETE', `/connectors/${name}`)).status, 204)
    const gone = await call('GET', `/connectors/${name}`)
    assertErrorBody(gone.status, gone.text, { status: 404, code: 'CDC_API_CONNECTOR_NOT_FOUND' })
  })

  it('answers every hand-written bad request over HTTP and keeps serving', async (t) => {
    const server = await startServer(t)
    const call = client(server)
    assert.equal(
      (await call('POST', '/connectors', { name: 'a', config: validConfig() })).status,
      201,
    )
    let sent = 0
    for (const bad of badRequests.filter((request) => request.injectOnly !== true)) {
      const response = await fetch(`${server.url}${bad.url}`, {
        method: bad.method,
        ...(bad.payload === undefined
          ? {}
          : {
              body: bad.payload,
              headers: { 'content-type': bad.contentType ?? 'application/json' },
            }),
      })
      const text = await response.text()
      assertErrorBody(
        response.status,
        text,
        {
          status: bad.status,
          ...(bad.code === undefined ? {} : { code: bad.code }),
          ...(bad.message === undefined ? {} : { message: bad.message }),
        },
        bad.label,
      )
      sent++
    }
    assert.ok(sent >= 150, `${sent} requests`)
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (body) => {
        const response = await call('POST', '/connectors', body)
        assertErrorBody(response.status, response.text, {}, JSON.stringify(body))
      }),
      { numRuns: 30 },
    )
    const still = await call('GET', '/connectors/a/status')
    assert.equal(still.status, 200, 'the server keeps answering')
  })

  it('needs the bearer token over HTTP too, except for /health and /metrics', async (t) => {
    const server = await startServer(t, { token: 'tok-http-1' })
    const anonymous = client(server)
    const denied = await anonymous('GET', '/connectors')
    assertErrorBody(denied.status, denied.text, { status: 401, code: 'CDC_API_UNAUTHORIZED' })
    assert.equal(denied.headers.get('www-authenticate'), 'Bearer')
    assert.equal((await anonymous('GET', '/health')).status, 200)
    const metrics = await anonymous('GET', '/metrics')
    assert.equal(metrics.status, 200)
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
    const authorized = client(server, { authorization: 'Bearer tok-http-1' })
    assert.equal((await authorized('GET', '/connectors')).status, 200)
  })

  it('reports a port in use as CDC_CONFIG_INVALID, and stops answering once closed', async (t) => {
    const server = await startServer(t)
    const { app } = buildTestApp(t)
    await assert.rejects(
      startAdminServer(app, { port: server.port }),
      (error) =>
        isCdcError(error) && error.code === 'CDC_CONFIG_INVALID' && /in use/.test(error.message),
    )
    const { app: other } = buildTestApp(t)
    const closing = await startAdminServer(other, { port: 0 })
    assert.equal((await fetch(`${closing.url}/health`)).status, 200)
    await closing.close()
    await assert.rejects(fetch(`${closing.url}/health`))
  })
})
