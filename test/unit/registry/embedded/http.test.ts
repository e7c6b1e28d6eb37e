import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { createEmbeddedRegistry } from '../../../../registry/embedded/embedded-registry.ts'
import { InMemorySchemaLog } from '../../../../registry/embedded/schema-log.ts'
import { schema } from './store-helpers.ts'

const v1 = 'application/vnd.schemaregistry.v1+json'

describe('registry/embedded/http', () => {
  const logged: unknown[] = []
  const registry = createEmbeddedRegistry({
    log: new InMemorySchemaLog(),
    logger: { error: (message, fields) => logged.push({ message, fields }) },
  })
  after(() => registry.close())

  async function call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    type = v1,
  ) {
    const response = await registry.app.inject({
      method,
      url,
      headers: body === undefined ? {} : { 'content-type': type },
      payload:
        body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    return {
      status: response.statusCode,
      type: response.headers['content-type'],
      body: response.json<unknown>(),
    }
  }

  it('accepts the three content types clients send and answers in the registry content type', async () => {
    const types = [v1, 'application/vnd.schemaregistry+json', 'application/json']
    for (const [index, type] of types.entries()) {
      const answer = await call('POST', `/subjects/ct${index}/versions`, schema('a:int'), type)
      assert.deepEqual(answer, { status: 200, type: v1, body: { id: 1 } })
    }
  })

  it('serves versions, schemas by id and the raw schema', async () => {
    await call('POST', '/subjects/h-value/versions', schema('a:int'))
    assert.deepEqual((await call('GET', '/subjects/h-value/versions')).body, [1])
    assert.deepEqual((await call('GET', '/subjects/h-value/versions/latest')).body, {
      subject: 'h-value',
      version: 1,
      id: 1,
      schema: schema('a:int').schema,
    })
    assert.deepEqual(
      (await call('GET', '/subjects/h-value/versions/1/schema')).body,
      JSON.parse(schema('a:int').schema),
    )
    assert.deepEqual((await call('GET', '/schemas/ids/1')).body, { schema: schema('a:int').schema })
    assert.deepEqual((await call('GET', '/schemas/ids/1/subjects')).body, [
      'ct0',
      'ct1',
      'ct2',
      'h-value',
    ])
    assert.deepEqual((await call('GET', '/schemas/ids/1/versions')).body, [
      { subject: 'ct0', version: 1 },
      { subject: 'ct1', version: 1 },
      { subject: 'ct2', version: 1 },
      { subject: 'h-value', version: 1 },
    ])
    assert.deepEqual((await call('POST', '/subjects/h-value', schema('a:int'))).body, {
      subject: 'h-value',
      version: 1,
      id: 1,
      schema: schema('a:int').schema,
    })
    assert.deepEqual((await call('GET', '/schemas/types')).body, ['AVRO'])
    assert.ok(((await call('GET', '/subjects')).body as string[]).includes('h-value'))
  })

  it('answers errors as {error_code, message} with the HTTP status of the code', async () => {
    assert.deepEqual(await call('GET', '/subjects/missing/versions'), {
      status: 404,
      type: v1,
      body: { error_code: 40401, message: "Subject 'missing' not found." },
    })
    assert.equal((await call('GET', '/subjects/h-value/versions/abc')).status, 422)
    assert.deepEqual((await call('GET', '/schemas/ids/999')).body, {
      error_code: 40403,
      message: 'Schema 999 not found',
    })
    const invalid = await call('POST', '/subjects/h-value/versions', { schema: '{"type":"nope"}' })
    assert.equal(invalid.status, 422)
    assert.equal((invalid.body as { error_code: number }).error_code, 42201)
    const incompatible = await call('POST', '/subjects/h-value/versions', schema('b:string'))
    assert.equal(incompatible.status, 409)
    assert.equal((incompatible.body as { error_code: number }).error_code, 409)
    assert.deepEqual(await call('POST', '/subjects/h-value/versions', '{not json'), {
      status: 400,
      type: v1,
      body: {
        error_code: 400,
        message:
          "The request body is not JSON: Expected property name or '}' in JSON at position 1 (line 1 column 2)",
      },
    })
    assert.equal((await call('GET', '/no/such/route')).status, 404)
    assert.equal((await call('DELETE', '/subjects/h-value/versions/1?permanent=true')).status, 404)
  })

  it('reads and writes the global and subject config, 40408 for an unset subject level', async () => {
    assert.deepEqual((await call('GET', '/config')).body, { compatibilityLevel: 'BACKWARD' })
    assert.deepEqual((await call('GET', '/config/cfg')).body, {
      error_code: 40408,
      message: "Subject 'cfg' does not have subject-level compatibility configured",
    })
    assert.deepEqual((await call('GET', '/config/cfg?defaultToGlobal=true')).body, {
      compatibilityLevel: 'BACKWARD',
    })
    assert.deepEqual((await call('PUT', '/config/cfg', { compatibility: 'FULL' })).body, {
      compatibility: 'FULL',
    })
    assert.deepEqual((await call('GET', '/config/cfg')).body, { compatibilityLevel: 'FULL' })
    assert.deepEqual((await call('DELETE', '/config/cfg')).body, { compatibilityLevel: 'FULL' })
    assert.equal((await call('PUT', '/config', { compatibility: 'sideways' })).status, 422)
  })

  it('checks compatibility, with messages only when verbose', async () => {
    const path = '/compatibility/subjects/h-value/versions/latest'
    assert.deepEqual((await call('POST', path, schema('b:string'))).body, { is_compatible: false })
    const verbose = (await call('POST', `${path}?verbose=true`, schema('b:string'))).body as {
      messages: string[]
    }
    assert.match(
      verbose.messages[0] ?? '',
      /BACKWARD: the new schema cannot read data written with version 1/,
    )
    assert.deepEqual(
      (await call('POST', '/compatibility/subjects/h-value/versions', schema('a:int'))).body,
      { is_compatible: true },
    )
  })

  it('deletes softly, then permanently, answering the versions deleted', async () => {
    await call('POST', '/subjects/del/versions', schema('a:int'))
    assert.deepEqual((await call('DELETE', '/subjects/del/versions/1')).body, 1)
    assert.deepEqual((await call('DELETE', '/subjects/del/versions/1?permanent=true')).body, 1)
    await call('POST', '/subjects/del/versions', schema('a:int'))
    assert.deepEqual((await call('DELETE', '/subjects/del')).body, [1])
    assert.deepEqual((await call('GET', '/subjects?deleted=true')).body, [
      'ct0',
      'ct1',
      'ct2',
      'del',
      'h-value',
    ])
    assert.deepEqual((await call('DELETE', '/subjects/del?permanent=true')).body, [1])
  })

  it('runs READWRITE only: other modes are refused with 42205, unknown ones with 42204', async () => {
    assert.deepEqual((await call('GET', '/mode')).body, { mode: 'READWRITE' })
    assert.deepEqual((await call('PUT', '/mode', { mode: 'READWRITE' })).body, {
      mode: 'READWRITE',
    })
    assert.equal((await call('PUT', '/mode', { mode: 'IMPORT' })).status, 422)
    assert.equal(
      ((await call('PUT', '/mode', { mode: 'READONLY' })).body as { error_code: number })
        .error_code,
      42205,
    )
    assert.equal(
      ((await call('PUT', '/mode', { mode: 'FAST' })).body as { error_code: number }).error_code,
      42204,
    )
    assert.equal(((await call('GET', '/mode/s')).body as { error_code: number }).error_code, 40409)
    assert.deepEqual((await call('GET', '/mode/s?defaultToGlobal=true')).body, {
      mode: 'READWRITE',
    })
  })

  it('logs only failures of the store, as 500 with 50001', async () => {
    assert.equal(logged.length, 0)
    const broken = createEmbeddedRegistry({
      log: new InMemorySchemaLog([{ key: 'garbage', value: null }]),
      logger: { error: (message, fields) => logged.push({ message, fields }) },
    })
    const response = await broken.app.inject({ method: 'GET', url: '/subjects' })
    await broken.close()
    assert.equal(response.statusCode, 500)
    assert.equal(response.json<{ error_code: number }>().error_code, 50001)
    assert.equal(logged.length, 1)
  })
})
