import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { CdcError } from '../../../../common/errors.ts'
import { ConfluentRegistryClient } from '../../../../registry/client/confluent-registry-client.ts'
import { createEmbeddedRegistry } from '../../../../registry/embedded/embedded-registry.ts'
import { InMemorySchemaLog } from '../../../../registry/embedded/schema-log.ts'

/** Routes the client's fetch calls into the registry app in process, and records them. */
function inProcess() {
  const registry = createEmbeddedRegistry({ log: new InMemorySchemaLog() })
  const calls: string[] = []
  const fetcher: typeof fetch = async (input, init) => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    )
    const path = `${url.pathname}${url.search}`
    calls.push(`${init?.method ?? 'GET'} ${path}`)
    const response = await registry.app.inject({
      method: (init?.method ?? 'GET') as 'GET',
      url: path,
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      payload: typeof init?.body === 'string' ? init.body : undefined,
    })
    return new Response(response.body, { status: response.statusCode })
  }
  const client = new ConfluentRegistryClient({ url: 'http://registry.test', fetch: fetcher })
  return { registry, calls, client }
}

const row = (...fields: object[]) =>
  JSON.stringify({ type: 'record', name: 'Row', namespace: 't', fields })
const id = { name: 'id', type: 'long' }

function cdcError(code: string, check?: (error: CdcError) => void) {
  return (error: unknown) => {
    assert.ok(error instanceof CdcError, String(error))
    assert.equal(error.code, code, error.message)
    check?.(error)
    return true
  }
}

describe('registry/client/confluent-registry-client', () => {
  const { registry, calls, client } = inProcess()
  after(() => registry.close())

  it('registers a new schema after checking compatibility, then answers from memory', async () => {
    calls.length = 0
    const first = await client.register('a-value', row(id))
    assert.equal(first, 1)
    assert.deepEqual(calls, [
      'POST /subjects/a-value',
      'GET /config/a-value?defaultToGlobal=true',
      'POST /compatibility/subjects/a-value/versions/latest?verbose=true',
      'POST /subjects/a-value/versions',
    ])
    calls.length = 0
    assert.equal(await client.register('a-value', row(id)), 1)
    const respelled = JSON.stringify({
      fields: [{ type: 'long', name: 'id' }],
      namespace: 't',
      name: 'Row',
      type: 'record',
    })
    assert.equal(await client.register('a-value', respelled), 1)
    assert.deepEqual(calls, [], 'the hot path makes no request')
  })

  it('shares one registration between concurrent callers of the same schema', async () => {
    calls.length = 0
    const ids = await Promise.all(
      [1, 2, 3].map(() => client.register('b-value', row(id, { name: 'x', type: 'int' }))),
    )
    assert.deepEqual(ids, [2, 2, 2])
    assert.equal(calls.filter((call) => call === 'POST /subjects/b-value/versions').length, 1)
  })

  it('takes an already registered schema by lookup, without a compatibility check', async () => {
    await registry.store.setSubjectLevel('c-value', 'NONE')
    await registry.store.register('c-value', { schema: row(id) })
    await registry.store.register('c-value', { schema: row({ name: 'other', type: 'string' }) })
    await registry.store.setSubjectLevel('c-value', 'FULL')
    assert.equal(
      await client.register('c-value', row(id)),
      1,
      'v1 is not FULL compatible with v2, but exists',
    )
  })

  it('refuses an incompatible schema with CDC_REG_INCOMPATIBLE_SCHEMA naming subject, level and reason, and registers nothing', async () => {
    await assert.rejects(
      client.register('a-value', row(id, { name: 'email', type: 'string' })),
      cdcError('CDC_REG_INCOMPATIBLE_SCHEMA', (error) => {
        assert.match(error.message, /subject "a-value" is not BACKWARD compatible/)
        assert.match(error.message, /no matching field for default-less t.Row.email/)
        assert.equal(error.retriable, false)
        assert.deepEqual(error.details.subject, 'a-value')
      }),
    )
    assert.deepEqual(await registry.store.versions('a-value', false), [1])
  })

  it('checks every version under a transitive level', async () => {
    await registry.store.setSubjectLevel('d-value', 'NONE')
    await registry.store.register('d-value', { schema: row({ name: 'n', type: 'int' }) })
    await registry.store.register('d-value', { schema: row() })
    await registry.store.setSubjectLevel('d-value', 'BACKWARD_TRANSITIVE')
    calls.length = 0
    const report = await client.testCompatibility(
      'd-value',
      row({ name: 'n', type: 'string', default: '' }),
    )
    assert.equal(report.compatible, false)
    assert.equal(report.level, 'BACKWARD_TRANSITIVE')
    assert.match(report.messages[0] ?? '', /version 1/)
    assert.ok(calls.includes('POST /compatibility/subjects/d-value/versions?verbose=true'))
  })

  it('refuses invalid Avro before any request', async () => {
    calls.length = 0
    await assert.rejects(
      client.register('a-value', '{"type":"record"}'),
      cdcError('CDC_REG_INVALID_SCHEMA'),
    )
    assert.deepEqual(calls, [])
  })

  it('fetches schemas by id once, CDC_REG_NOT_FOUND for an unknown id', async () => {
    calls.length = 0
    assert.equal(await client.schemaById(1), row(id))
    assert.equal(await client.schemaById(1), row(id))
    assert.deepEqual(calls, ['GET /schemas/ids/1'])
    await assert.rejects(
      client.schemaById(404),
      cdcError('CDC_REG_NOT_FOUND', (error) => {
        assert.match(error.message, /Schema 404 not found/)
      }),
    )
  })

  it('reads the latest version and the level that applies', async () => {
    assert.deepEqual(await client.latestVersion('a-value'), {
      subject: 'a-value',
      version: 1,
      id: 1,
      schema: row(id),
    })
    assert.equal(await client.latestVersion('none-value'), undefined)
    assert.equal(await client.compatibilityLevel('none-value'), 'BACKWARD')
    assert.equal(await client.compatibilityLevel('d-value'), 'BACKWARD_TRANSITIVE')
  })

  it('reports an unreachable registry as CDC_REG_UNAVAILABLE, retriable', async () => {
    const down = new ConfluentRegistryClient({
      url: 'http://registry.test',
      fetch: () =>
        Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })),
    })
    await assert.rejects(
      down.register('a-value', row(id)),
      cdcError('CDC_REG_UNAVAILABLE', (error) => {
        assert.equal(error.retriable, true)
        assert.match(
          error.message,
          /http:\/\/registry.test cannot be reached .*fetch failed: ECONNREFUSED/,
        )
      }),
    )
  })

  it('treats a 5xx answer as unavailable, and other answers as failed requests', async () => {
    const answering = (status: number, body: string) =>
      new ConfluentRegistryClient({
        url: 'http://registry.test/',
        fetch: () => Promise.resolve(new Response(body, { status })),
      })
    await assert.rejects(
      answering(500, '{"error_code":50001,"message":"store down"}').schemaById(1),
      cdcError('CDC_REG_UNAVAILABLE', (error) => {
        assert.equal(error.retriable, true)
        assert.equal(error.details.errorCode, 50001)
      }),
    )
    await assert.rejects(
      answering(401, 'Unauthorized').schemaById(1),
      cdcError('CDC_REG_REQUEST_FAILED'),
    )
    await assert.rejects(
      answering(200, '{"unexpected":true}').schemaById(1),
      cdcError('CDC_REG_REQUEST_FAILED'),
    )
  })

  it('falls back to the global level where a registry does not default a new subject to it', async () => {
    const fetcher: typeof fetch = (input) => {
      const url = input instanceof Request ? input.url : input.toString()
      if (url.endsWith('/config'))
        return Promise.resolve(new Response('{"compatibilityLevel":"FULL"}'))
      return Promise.resolve(
        new Response('{"error_code":40401,"message":"Subject not found"}', { status: 404 }),
      )
    }
    const apicurioLike = new ConfluentRegistryClient({
      url: 'http://registry.test',
      fetch: fetcher,
    })
    assert.equal(await apicurioLike.compatibilityLevel('new-value'), 'FULL')
  })
})
