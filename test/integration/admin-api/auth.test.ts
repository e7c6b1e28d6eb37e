import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildAdminApp } from '../../../admin-api/app.ts'
import { isCdcError } from '../../../common/errors.ts'
import { InMemoryConnectService } from './in-memory-connect-service.ts'
import { assertError, buildTestApp, validConfig } from './test-app.ts'

const token = 'tk-7f3a9c2e-admin'
const bearer = { authorization: `Bearer ${token}` }

describe('admin API bearer token', () => {
  it('refuses requests without the right token with 401 in the Connect error shape', async (t) => {
    const { app } = buildTestApp(t, { token })
    const cases: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Basic ${token}` },
      { authorization: token },
      { authorization: `Bearer ${token}x` },
    ]
    for (const headers of cases) {
      const response = await app.inject({ url: '/connectors', headers })
      assertError(response, { status: 401, code: 'CDC_API_UNAUTHORIZED' }, JSON.stringify(headers))
      assert.equal(response.headers['www-authenticate'], 'Bearer')
      assert.ok(!response.body.includes(token))
    }
    const ok = await app.inject({ url: '/connectors', headers: bearer })
    assert.equal(ok.statusCode, 200)
  })

  it('guards every endpoint, docs and unknown paths included, before reading the body', async (t) => {
    const { app } = buildTestApp(t, { token })
    const requests: Array<[string, string, string?]> = [
      ['GET', '/'],
      ['GET', '/connector-plugins'],
      ['PUT', '/connector-plugins/postgres/config/validate', '{}'],
      ['POST', '/connectors', JSON.stringify({ name: 'a', config: validConfig() })],
      ['POST', '/connectors', '{not json'],
      ['GET', '/connectors/a/status'],
      ['DELETE', '/connectors/a'],
      ['PATCH', '/connectors/a/offsets', '{}'],
      ['GET', '/docs'],
      ['GET', '/docs/json'],
      ['GET', '/no/such/path'],
      ['POST', '/health'],
    ]
    for (const [method, url, payload] of requests) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        ...(payload === undefined
          ? {}
          : { payload, headers: { 'content-type': 'application/json' } }),
      })
      assertError(response, { status: 401, code: 'CDC_API_UNAUTHORIZED' }, `${method} ${url}`)
    }
  })

  it('leaves GET /health and GET /metrics open for probes and scrapers', async (t) => {
    const { app } = buildTestApp(t, { token })
    for (const [method, url] of [
      ['GET', '/health'],
      ['HEAD', '/health'],
      ['GET', '/metrics'],
      ['HEAD', '/metrics'],
    ] as const) {
      const response = await app.inject({ method, url })
      assert.equal(response.statusCode, 200, `${method} ${url}`)
    }
  })

  it('needs no token when none is configured, and refuses an empty one', async (t) => {
    const { app } = buildTestApp(t)
    assert.equal((await app.inject({ url: '/connectors' })).statusCode, 200)
    assert.throws(
      () => buildAdminApp({ service: new InMemoryConnectService(), token: ' ' }),
      (error) => isCdcError(error) && error.code === 'CDC_CONFIG_INVALID',
    )
  })
})
