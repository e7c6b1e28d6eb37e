import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { badRequests } from './malformed-cases.ts'
import { assertError, buildTestApp, createConnector } from './test-app.ts'

/** Requests sent by this file; the brief asks for 200 or more. */
let sent = 0

async function appWithConnector(t: TestContext): Promise<FastifyInstance> {
  const { app } = buildTestApp(t)
  await createConnector(app, 'a')
  return app
}

async function send(
  app: FastifyInstance,
  method: string,
  url: string,
  payload?: string,
  contentType = 'application/json',
) {
  sent++
  return app.inject({
    method: method as 'GET',
    url,
    ...(payload === undefined ? {} : { payload, headers: { 'content-type': contentType } }),
  })
}

async function assertStillServing(app: FastifyInstance): Promise<void> {
  const response = await app.inject({ url: '/connectors/a/status' })
  assert.equal(response.statusCode, 200, 'the app keeps answering')
}

const fcOptions = { numRuns: 40 }

describe('admin API malformed requests (inject)', () => {
  it('answers each hand-written bad request with its 4xx in the Connect error shape', async (t) => {
    const app = await appWithConnector(t)
    for (const bad of badRequests) {
      const response = await send(app, bad.method, bad.url, bad.payload, bad.contentType)
      const expected = {
        status: bad.status,
        ...(bad.code === undefined ? {} : { code: bad.code }),
        ...(bad.message === undefined ? {} : { message: bad.message }),
      }
      assertError(response, expected, bad.label)
      if (bad.status === 405) assert.ok(response.headers.allow !== undefined, `${bad.label}: Allow`)
    }
    assert.ok(badRequests.length >= 150, `${badRequests.length} hand-written cases`)
    await assertStillServing(app)
  })

  it('answers any JSON value that is not a valid create request with a 4xx', async (t) => {
    const app = await appWithConnector(t)
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const response = await send(app, 'POST', '/connectors', JSON.stringify(body))
        assertError(response, {}, JSON.stringify(body).slice(0, 200))
      }),
      fcOptions,
    )
    await assertStillServing(app)
  })

  it('answers any text body with a 4xx', async (t) => {
    const app = await appWithConnector(t)
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.constantFrom(
          '/connectors',
          '/connectors/a/config',
          '/connectors/a/offsets',
          '/connectors/a/snapshots',
        ),
        async (body, url) => {
          const method = url.endsWith('config') ? 'PUT' : url.endsWith('offsets') ? 'PATCH' : 'POST'
          const response = await send(app, method, url, body)
          assertError(response, {}, `${method} ${url} ${JSON.stringify(body)}`)
        },
      ),
      fcOptions,
    )
    await assertStillServing(app)
  })

  it('answers any unknown or invalid connector name in the path with 404 or 400', async (t) => {
    const app = await appWithConnector(t)
    const suffixes = ['', '/status', '/config', '/offsets', '/tasks/0/status', '/lag']
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }),
        fc.constantFrom(...suffixes),
        async (name, suffix) => {
          fc.pre(name !== 'a')
          let encoded: string
          try {
            encoded = encodeURIComponent(name)
          } catch {
            // Unpaired surrogates have no UTF-8 form; send their replacement bytes raw instead.
            encoded = encodeURIComponent(name.replace(/\p{Surrogate}/gu, '\ufffd'))
          }
          const response = await send(app, 'GET', `/connectors/${encoded}${suffix}`)
          const body = assertError(response, {}, `${JSON.stringify(name)}${suffix}`)
          assert.ok(
            [400, 404].includes(body.error_code),
            `${JSON.stringify(name)}: ${response.body}`,
          )
        },
      ),
      fcOptions,
    )
    await assertStillServing(app)
  })

  it('answers any config map that the service cannot take with a 4xx naming the problem', async (t) => {
    const app = await appWithConnector(t)
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
      fc.array(fc.string(), { maxLength: 2 }),
    )
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), value, { maxKeys: 8 }), async (config) => {
        const response = await send(app, 'PUT', '/connectors/b/config', JSON.stringify(config))
        assertError(response, {}, JSON.stringify(config))
      }),
      fcOptions,
    )
    await assertStillServing(app)
  })

  it('answers any invalid query flag with a 400', async (t) => {
    const app = await appWithConnector(t)
    const flags = ['true', 'false', 'TRUE', 'FALSE', 'True', 'False']
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 20 }),
        fc.constantFrom('includeTasks', 'onlyFailed'),
        async (value, flag) => {
          fc.pre(!flags.includes(value))
          const url = `/connectors/a/restart?${flag}=${encodeURIComponent(value)}`
          assertError(await send(app, 'POST', url), { status: 400 }, url)
        },
      ),
      fcOptions,
    )
    await assertStillServing(app)
  })

  it('sent at least 200 malformed requests in all', () => {
    assert.ok(sent >= 200, `${sent} requests`)
  })
})
