// The Confluent REST API, case by case, against the embedded registry and Apicurio.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { avro, call, conformance, errorCode, expectAnswer, idOf } from './conformance-helpers.ts'

const { targets, freshSubject } = conformance()

for (const target of targets) {
  describe(`registry conformance (API): ${target.name}`, () => {
    it('registers a schema, and gives the same id without a new version when it comes again', async () => {
      const subject = await freshSubject(target)
      const id = idOf(await call(target, 'POST', `/subjects/${subject}/versions`, avro('a:int')))
      const respelled = { schema: JSON.stringify(JSON.parse(avro('a:int').schema), null, 2) }
      expectAnswer(target, await call(target, 'POST', `/subjects/${subject}/versions`, respelled), {
        status: 200,
        body: { id },
      })
      expectAnswer(target, await call(target, 'GET', `/subjects/${subject}/versions`), {
        status: 200,
        body: [1],
      })
    })

    it('accepts the three content types Confluent clients send', async () => {
      const subject = await freshSubject(target, 'NONE')
      for (const [index, type] of [
        'application/json',
        'application/vnd.schemaregistry+json',
      ].entries()) {
        const answer = await call(
          target,
          'POST',
          `/subjects/${subject}/versions`,
          avro(`t${index}:int`),
          type,
        )
        assert.equal(answer.status, 200, `${target.name} ${type}: ${JSON.stringify(answer.body)}`)
      }
    })

    it('gives the same schema in another subject the same id and that subject its own version', async () => {
      const first = await freshSubject(target)
      const second = await freshSubject(target, 'NONE')
      const id = idOf(
        await call(target, 'POST', `/subjects/${first}/versions`, avro('shared:long')),
      )
      idOf(await call(target, 'POST', `/subjects/${second}/versions`, avro('own:long')))
      expectAnswer(
        target,
        await call(target, 'POST', `/subjects/${second}/versions`, avro('shared:long')),
        {
          status: 200,
          body: { id },
        },
      )
      expectAnswer(target, await call(target, 'GET', `/subjects/${second}/versions/latest`), {
        status: 200,
        body: { subject: second, version: 2, id, schema: avro('shared:long').schema },
      })
      const versions = (await call(target, 'GET', `/schemas/ids/${id}/versions`)).body as unknown[]
      assert.ok(
        [
          { subject: first, version: 1 },
          { subject: second, version: 2 },
        ].every((v) => versions.some((w) => JSON.stringify(w) === JSON.stringify(v))),
        `${target.name}: ${JSON.stringify(versions)}`,
      )
      const subjects = (await call(target, 'GET', `/schemas/ids/${id}/subjects`)).body as string[]
      assert.ok(
        subjects.includes(first) && subjects.includes(second),
        `${target.name}: ${JSON.stringify(subjects)}`,
      )
    })

    it('looks a schema up under a subject: found, 40403 when not in it, 40401 for no subject', async () => {
      const subject = await freshSubject(target)
      const id = idOf(await call(target, 'POST', `/subjects/${subject}/versions`, avro('a:int')))
      expectAnswer(target, await call(target, 'POST', `/subjects/${subject}`, avro('a:int')), {
        status: 200,
        body: { subject, version: 1, id, schema: avro('a:int').schema },
      })
      expectAnswer(target, await call(target, 'POST', `/subjects/${subject}`, avro('b:int')), {
        status: 404,
        errorCode: 40403,
      })
      expectAnswer(target, await call(target, 'POST', `/subjects/${subject}_none`, avro('a:int')), {
        status: 404,
        errorCode: 40401,
      })
    })

    it('reads versions by number, latest and -1, and the raw schema', async () => {
      const subject = await freshSubject(target)
      const id = idOf(await call(target, 'POST', `/subjects/${subject}/versions`, avro('a:int')))
      const expected = { subject, version: 1, id, schema: avro('a:int').schema }
      for (const version of ['1', 'latest', '-1']) {
        expectAnswer(
          target,
          await call(target, 'GET', `/subjects/${subject}/versions/${version}`),
          { status: 200, body: expected },
        )
      }
      expectAnswer(target, await call(target, 'GET', `/subjects/${subject}/versions/1/schema`), {
        status: 200,
        body: JSON.parse(avro('a:int').schema),
      })
      expectAnswer(target, await call(target, 'GET', `/schemas/ids/${id}`), {
        status: 200,
        body: { schema: avro('a:int').schema },
      })
    })

    it('answers unknown subjects, versions and ids with 40401, 40402 and 40403', async () => {
      const subject = await freshSubject(target)
      expectAnswer(target, await call(target, 'GET', `/subjects/${subject}/versions`), {
        status: 404,
        errorCode: 40401,
      })
      expectAnswer(target, await call(target, 'GET', `/subjects/${subject}/versions/1`), {
        status: 404,
        errorCode: 40401,
      })
      idOf(await call(target, 'POST', `/subjects/${subject}/versions`, avro('a:int')))
      expectAnswer(target, await call(target, 'GET', `/subjects/${subject}/versions/9`), {
        status: 404,
        errorCode: 40402,
      })
      expectAnswer(target, await call(target, 'GET', '/schemas/ids/2000000000'), {
        status: 404,
        errorCode: 40403,
      })
    })

    it('refuses invalid Avro with 422 / 42201', async () => {
      const subject = await freshSubject(target)
      for (const schema of [
        '{"type":"record","name":"R","fields":[{"name":"a","type":"nope"}]}',
        'not json',
      ]) {
        expectAnswer(
          target,
          await call(target, 'POST', `/subjects/${subject}/versions`, { schema }),
          {
            status: 422,
            errorCode: 42201,
          },
        )
      }
    })

    it('answers non-Avro schema types as only the embedded registry limits them', async () => {
      const subject = await freshSubject(target)
      const json = {
        schemaType: 'JSON',
        schema: '{"type":"object","properties":{"a":{"type":"integer"}}}',
      }
      const answer = await call(target, 'POST', `/subjects/${subject}/versions`, json)
      expectAnswer(
        target,
        answer,
        { status: 422, errorCode: 42201 },
        {
          status: 200,
          why: 'Apicurio supports JSON Schema; the embedded registry supports only AVRO and says so',
        },
      )
      if (target.name === 'embedded')
        assert.match((answer.body as { message: string }).message, /supports only AVRO/)
      expectAnswer(
        target,
        await call(target, 'GET', '/schemas/types'),
        { status: 200, body: ['AVRO'] },
        {
          status: 200,
          body: ['JSON', 'PROTOBUF', 'AVRO'],
          why: 'Apicurio supports all three types',
        },
      )
    })

    it('refuses a version that is not a number, "latest" or -1 with 42202', async () => {
      const subject = await freshSubject(target)
      idOf(await call(target, 'POST', `/subjects/${subject}/versions`, avro('a:int')))
      for (const version of ['abc', '0']) {
        expectAnswer(
          target,
          await call(target, 'GET', `/subjects/${subject}/versions/${version}`),
          { status: 422, errorCode: 42202 },
          {
            status: 404,
            errorCode: 40402,
            why: 'Apicurio treats any version string it cannot find as not found',
          },
        )
      }
    })

    it('reads the global level and sets one per subject; an unset subject level is 40408', async () => {
      expectAnswer(target, await call(target, 'GET', '/config'), {
        status: 200,
        body: { compatibilityLevel: 'BACKWARD' },
      })
      const put = await call(target, 'PUT', '/config', { compatibility: 'BACKWARD' })
      assert.equal(put.status, 200)
      assert.equal(
        (put.body as { compatibility?: unknown }).compatibility,
        'BACKWARD',
        `${target.name}: ${JSON.stringify(put.body)}`,
      )

      const subject = await freshSubject(target)
      expectAnswer(
        target,
        await call(target, 'GET', `/config/${subject}`),
        { status: 404, errorCode: 40408 },
        {
          status: 404,
          errorCode: 40401,
          why: 'Apicurio keeps config per artifact, so a subject it has never seen is not found',
        },
      )
      expectAnswer(
        target,
        await call(target, 'GET', `/config/${subject}?defaultToGlobal=true`),
        {
          status: 200,
          body: { compatibilityLevel: 'BACKWARD' },
        },
        { status: 404, errorCode: 40401, why: 'as above, for a subject it has never seen' },
      )
      idOf(await call(target, 'POST', `/subjects/${subject}/versions`, avro('a:int')))
      expectAnswer(
        target,
        await call(target, 'GET', `/config/${subject}`),
        { status: 404, errorCode: 40408 },
        {
          status: 200,
          body: { compatibilityLevel: 'NONE' },
          why: 'Apicurio answers NONE for an existing subject without its own rule',
        },
      )
      expectAnswer(target, await call(target, 'GET', `/config/${subject}?defaultToGlobal=true`), {
        status: 200,
        body: { compatibilityLevel: 'BACKWARD' },
      })
      const set = await call(target, 'PUT', `/config/${subject}`, { compatibility: 'FULL' })
      assert.equal(
        (set.body as { compatibility?: unknown }).compatibility,
        'FULL',
        `${target.name}: ${JSON.stringify(set.body)}`,
      )
      expectAnswer(target, await call(target, 'GET', `/config/${subject}`), {
        status: 200,
        body: { compatibilityLevel: 'FULL' },
      })
      expectAnswer(
        target,
        await call(target, 'PUT', `/config/${subject}`, { compatibility: 'SIDEWAYS' }),
        {
          status: 422,
          errorCode: 42203,
        },
      )
    })

    it('reports the mode as READWRITE', async () => {
      expectAnswer(target, await call(target, 'GET', '/mode'), {
        status: 200,
        body: { mode: 'READWRITE' },
      })
    })

    it('soft-deletes a version once, and hard-deletes it only after that', async () => {
      const subject = await freshSubject(target, 'NONE')
      idOf(await call(target, 'POST', `/subjects/${subject}/versions`, avro('a:int')))
      idOf(await call(target, 'POST', `/subjects/${subject}/versions`, avro('b:int')))
      const why = 'Apicurio answers the delete-order errors with HTTP 409, Confluent with 404'
      expectAnswer(
        target,
        await call(target, 'DELETE', `/subjects/${subject}/versions/1?permanent=true`),
        { status: 404, errorCode: 40407 },
        {
          status: 409,
          errorCode: 40407,
          why,
        },
      )
      expectAnswer(target, await call(target, 'DELETE', `/subjects/${subject}/versions/1`), {
        status: 200,
        body: 1,
      })
      expectAnswer(
        target,
        await call(target, 'DELETE', `/subjects/${subject}/versions/1`),
        { status: 404, errorCode: 40406 },
        {
          status: 409,
          errorCode: 40406,
          why,
        },
      )
      expectAnswer(target, await call(target, 'GET', `/subjects/${subject}/versions`), {
        status: 200,
        body: [2],
      })
      expectAnswer(
        target,
        await call(target, 'GET', `/subjects/${subject}/versions?deleted=true`),
        { status: 200, body: [1, 2] },
      )
      expectAnswer(target, await call(target, 'GET', `/subjects/${subject}/versions/1`), {
        status: 404,
        errorCode: 40402,
      })
      expectAnswer(
        target,
        await call(target, 'GET', `/subjects/${subject}/versions/1?deleted=true`),
        { status: 200 },
      )
      expectAnswer(
        target,
        await call(target, 'POST', `/subjects/${subject}?deleted=true`, avro('a:int')),
        { status: 200 },
      )
      expectAnswer(
        target,
        await call(target, 'DELETE', `/subjects/${subject}/versions/1?permanent=true`),
        { status: 200, body: 1 },
      )
      expectAnswer(
        target,
        await call(target, 'GET', `/subjects/${subject}/versions?deleted=true`),
        { status: 200, body: [2] },
      )
    })

    it('soft-deletes a subject once (40404), and hard-deletes it only after that (40405)', async () => {
      const subject = await freshSubject(target, 'NONE')
      idOf(await call(target, 'POST', `/subjects/${subject}/versions`, avro('a:int')))
      idOf(await call(target, 'POST', `/subjects/${subject}/versions`, avro('b:int')))
      expectAnswer(
        target,
        await call(target, 'DELETE', `/subjects/${subject}?permanent=true`),
        { status: 404, errorCode: 40405 },
        {
          status: 409,
          errorCode: 40405,
          why: 'Apicurio answers the delete-order errors with HTTP 409, Confluent with 404',
        },
      )
      expectAnswer(target, await call(target, 'DELETE', `/subjects/${subject}`), {
        status: 200,
        body: [1, 2],
      })
      expectAnswer(target, await call(target, 'DELETE', `/subjects/${subject}`), {
        status: 404,
        errorCode: 40404,
      })
      expectAnswer(target, await call(target, 'GET', `/subjects/${subject}/versions`), {
        status: 404,
        errorCode: 40401,
      })
      expectAnswer(
        target,
        await call(target, 'GET', `/subjects/${subject}/versions?deleted=true`),
        { status: 200, body: [1, 2] },
      )
      const listed = (await call(target, 'GET', '/subjects')).body as string[]
      const listedDeleted = (await call(target, 'GET', '/subjects?deleted=true')).body as string[]
      assert.ok(!listed.includes(subject) && listedDeleted.includes(subject), target.name)
      expectAnswer(target, await call(target, 'DELETE', `/subjects/${subject}?permanent=true`), {
        status: 200,
        body: [1, 2],
      })
      expectAnswer(
        target,
        await call(target, 'GET', `/subjects/${subject}/versions?deleted=true`),
        { status: 404, errorCode: 40401 },
      )
    })

    it('brings a soft-deleted schema back as a new version with its id', async () => {
      const subject = await freshSubject(target, 'NONE')
      const id = idOf(await call(target, 'POST', `/subjects/${subject}/versions`, avro('a:int')))
      idOf(await call(target, 'POST', `/subjects/${subject}/versions`, avro('b:int')))
      expectAnswer(target, await call(target, 'DELETE', `/subjects/${subject}`), {
        status: 200,
        body: [1, 2],
      })
      expectAnswer(
        target,
        await call(target, 'POST', `/subjects/${subject}/versions`, avro('a:int')),
        { status: 200, body: { id } },
      )
      expectAnswer(
        target,
        await call(target, 'GET', `/subjects/${subject}/versions?deleted=true`),
        { status: 200, body: [2, 3] },
        {
          status: 200,
          body: [1, 2, 3],
          why: 'Confluent drops the soft-deleted version holding the same schema; Apicurio keeps it',
        },
      )
      expectAnswer(
        target,
        await call(target, 'DELETE', `/subjects/${subject}`),
        { status: 200, body: [3] },
        {
          status: 200,
          body: [1, 2, 3],
          why: 'Apicurio lists already soft-deleted versions again; Confluent lists those it deleted now',
        },
      )
      assert.equal(errorCode(await call(target, 'GET', `/subjects/${subject}/versions`)), 40401)
    })
  })
}
