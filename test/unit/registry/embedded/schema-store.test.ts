import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InMemorySchemaLog } from '../../../../registry/embedded/schema-log.ts'
import { SchemaStore } from '../../../../registry/embedded/schema-store.ts'
import { rejectsWith, schema } from './store-helpers.ts'

const newStore = () => new SchemaStore(new InMemorySchemaLog())

describe('registry/embedded/schema-store: registration and lookup', () => {
  it('gives versions from 1 and ids from 1, and the same id again for the same schema', async () => {
    const store = newStore()
    assert.deepEqual(await store.register('s', schema('a:int')), { id: 1 })
    assert.deepEqual(await store.register('s', schema('a:int', 'b:int:0')), { id: 2 })
    assert.deepEqual(
      await store.register('s', schema('a:int')),
      { id: 1 },
      'already registered: no new version',
    )
    assert.deepEqual(await store.versions('s', false), [1, 2])
  })

  it('recognises the same schema whatever its whitespace and key order', async () => {
    const store = newStore()
    await store.register('s', {
      schema: '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}',
    })
    const respelled = '{ "fields" : [ {"type":"int","name":"a"} ], "name":"R", "type":"record" }'
    assert.deepEqual(await store.register('s', { schema: respelled }), { id: 1 })
    assert.deepEqual(await store.versions('s', false), [1])
    assert.equal((await store.lookup('s', { schema: respelled }, false)).version, 1)
  })

  it('gives a schema registered in a second subject the same id and that subject its own version', async () => {
    const store = newStore()
    await store.setSubjectLevel('b', 'NONE')
    await store.register('a', schema('x:int'))
    await store.register('b', schema('y:int'))
    assert.deepEqual(await store.register('b', schema('x:int')), { id: 1 })
    assert.deepEqual(await store.version('b', 'latest', false), {
      subject: 'b',
      version: 2,
      id: 1,
      schema: schema('x:int').schema,
    })
    assert.deepEqual(await store.versionsById(1, false), [
      { subject: 'a', version: 1 },
      { subject: 'b', version: 2 },
    ])
  })

  it('looks schemas up under a subject: 40401 for no subject, 40403 for a schema not in it', async () => {
    const store = newStore()
    await store.register('s', schema('a:int'))
    assert.deepEqual(await store.lookup('s', schema('a:int'), false), {
      subject: 's',
      version: 1,
      id: 1,
      schema: schema('a:int').schema,
    })
    await rejectsWith(store.lookup('s', schema('b:int'), false), 40403)
    await rejectsWith(
      store.lookup('other', schema('a:int'), false),
      40401,
      /Subject 'other' not found/,
    )
  })

  it('refuses a schema the subject level does not allow with 409, and registers nothing', async () => {
    const store = newStore()
    await store.register('s', schema('a:int'))
    await rejectsWith(
      store.register('s', schema('a:int', 'b:string')),
      409,
      /incompatible with an earlier schema for subject "s".*BACKWARD: the new schema cannot read data written with version 1: no matching field for default-less cdc.test.Row.b/,
    )
    assert.deepEqual(await store.versions('s', false), [1])
    await store.setSubjectLevel('s', 'NONE')
    assert.deepEqual(await store.register('s', schema('a:int', 'b:string')), { id: 2 })
  })

  it('refuses invalid Avro, other schema types and references with 42201', async () => {
    const store = newStore()
    await rejectsWith(
      store.register('s', { schema: '{"type":"record","name":"R"}' }),
      42201,
      /Invalid Avro schema/,
    )
    await rejectsWith(store.register('s', { schema: 'not json' }), 42201, /not JSON/)
    await rejectsWith(store.register('s', {}), 42201, /no "schema" string/)
    await rejectsWith(
      store.register('s', { schema: '{"type":"object"}', schemaType: 'JSON' }),
      42201,
      /supports only AVRO/,
    )
    await rejectsWith(
      store.register('s', {
        ...schema('a:int'),
        references: [{ name: 'x', subject: 'y', version: 1 }],
      }),
      42201,
      /references are not supported/,
    )
    assert.deepEqual(await store.subjects(true), [])
  })

  it('reads versions by number, "latest" and -1, and refuses other version strings with 42202', async () => {
    const store = newStore()
    await store.register('s', schema('a:int'))
    await store.register('s', schema('a:int', 'b:int:1'))
    assert.equal((await store.version('s', '1', false)).id, 1)
    assert.equal((await store.version('s', 'latest', false)).version, 2)
    assert.equal((await store.version('s', '-1', false)).version, 2)
    for (const bad of ['abc', '0', '-2', '1.5', '2147483648'])
      await rejectsWith(store.version('s', bad, false), 42202)
    await rejectsWith(store.version('s', '3', false), 40402, /Version 3 not found/)
    await rejectsWith(store.version('nope', '1', false), 40401)
  })

  it('finds schemas by id, 40403 for an unknown id', async () => {
    const store = newStore()
    await store.register('s', schema('a:int'))
    assert.deepEqual(await store.schemaById(1), { schema: schema('a:int').schema })
    await rejectsWith(store.schemaById(2), 40403, /Schema 2 not found/)
    await rejectsWith(store.versionsById(2, true), 40403)
  })
})

describe('registry/embedded/schema-store: configuration and compatibility checks', () => {
  it('has a global level, BACKWARD by default, and subject levels that are unset until set', async () => {
    const store = newStore()
    assert.equal(await store.globalLevel(), 'BACKWARD')
    await rejectsWith(
      store.subjectLevel('s', false),
      40408,
      /does not have subject-level compatibility configured/,
    )
    assert.equal(await store.subjectLevel('s', true), 'BACKWARD')
    assert.equal(await store.setGlobalLevel('FULL'), 'FULL')
    assert.equal(await store.subjectLevel('s', true), 'FULL')
    assert.equal(await store.setSubjectLevel('s', 'NONE'), 'NONE')
    assert.equal(await store.subjectLevel('s', false), 'NONE')
    assert.equal(await store.deleteSubjectLevel('s'), 'NONE')
    await rejectsWith(store.deleteSubjectLevel('s'), 40401)
    assert.equal(await store.deleteGlobalLevel(), 'FULL')
    assert.equal(await store.globalLevel(), 'BACKWARD')
    await rejectsWith(
      store.setGlobalLevel('SIDEWAYS'),
      42203,
      /Invalid compatibility level "SIDEWAYS"/,
    )
    await rejectsWith(store.setSubjectLevel('s', undefined), 42203)
  })

  it('applies the subject level over the global one when registering', async () => {
    const store = newStore()
    await store.setGlobalLevel('NONE')
    await store.setSubjectLevel('strict', 'FORWARD')
    await store.register('loose', schema('a:int'))
    await store.register('strict', schema('a:int'))
    assert.deepEqual(await store.register('loose', schema('b:string')), { id: 2 })
    // Dropping a field without a default breaks FORWARD (old readers need it).
    await rejectsWith(
      store.register('strict', schema('b:string:""')),
      409,
      /FORWARD: version 1 cannot read/,
    )
  })

  it('tests compatibility against latest, a given version, or every version the level asks for', async () => {
    const store = newStore()
    await store.setSubjectLevel('s', 'NONE')
    await store.register('s', schema('a:int'))
    await store.register('s', schema('b:int'))
    await store.setSubjectLevel('s', 'BACKWARD_TRANSITIVE')
    const next = schema('b:int', 'c:int:0')
    assert.deepEqual(await store.testCompatibility('s', 'latest', next, true), {
      compatible: true,
      messages: [],
    })
    const againstOne = await store.testCompatibility('s', '1', schema('b:int'), true)
    assert.equal(againstOne.compatible, false)
    assert.match(
      againstOne.messages[0] ?? '',
      /version 1: no matching field for default-less cdc.test.Row.b/,
    )
    assert.equal(
      (await store.testCompatibility('s', undefined, schema('b:int'), false)).compatible,
      false,
    )
    assert.equal((await store.testCompatibility('new', 'latest', next, false)).compatible, true)
    await rejectsWith(store.testCompatibility('s', '9', next, false), 40402)
    await rejectsWith(store.testCompatibility('s', 'x', next, false), 42202)
  })

  it('answers an unparsable schema with 42201, or as a verdict when verbose (as Confluent)', async () => {
    const store = newStore()
    await rejectsWith(store.testCompatibility('s', 'latest', { schema: '{' }, false), 42201)
    const verdict = await store.testCompatibility('s', 'latest', { schema: '{' }, true)
    assert.equal(verdict.compatible, false)
    assert.match(verdict.messages[0] ?? '', /not JSON/)
  })
})

describe('registry/embedded/schema-store: soft and hard deletes', () => {
  it('soft-deletes a version once (40406 after), hides it, and stops checking against it', async () => {
    const store = newStore()
    await store.setSubjectLevel('s', 'NONE')
    await store.register('s', schema('a:int'))
    await store.register('s', schema('a:string'))
    await store.setSubjectLevel('s', 'BACKWARD')
    assert.equal(await store.deleteVersion('s', '2', false), 2)
    await rejectsWith(store.deleteVersion('s', '2', false), 40406, /Version 2 was soft deleted/)
    assert.deepEqual(await store.versions('s', false), [1])
    assert.deepEqual(await store.versions('s', true), [1, 2])
    assert.equal((await store.version('s', 'latest', false)).version, 1)
    await rejectsWith(store.version('s', '2', false), 40402)
    assert.equal((await store.version('s', '2', true)).id, 2)
    assert.deepEqual(
      await store.schemaById(2),
      { schema: schema('a:string').schema },
      'still readable by id',
    )
    // Compatible with v1; v2, deleted, would have refused it.
    assert.deepEqual(await store.register('s', schema('a:long')), { id: 3 })
    assert.deepEqual(
      await store.versions('s', false),
      [1, 3],
      'versions keep counting past deleted ones',
    )
  })

  it('hard-deletes a version only after a soft delete (40407 before)', async () => {
    const store = newStore()
    await store.register('s', schema('a:int'))
    await store.register('s', schema('a:int', 'b:int:0'))
    await rejectsWith(store.deleteVersion('s', '1', true), 40407, /was not deleted first/)
    await rejectsWith(store.deleteVersion('s', 'latest', true), 40407)
    await store.deleteVersion('s', '1', false)
    assert.equal(await store.deleteVersion('s', '1', true), 1)
    assert.deepEqual(await store.versions('s', true), [2])
    await rejectsWith(store.schemaById(1), 40403, /Schema 1 not found/)
    await rejectsWith(store.deleteVersion('s', '1', true), 40402)
    await rejectsWith(store.deleteVersion('nope', '1', false), 40401)
    assert.equal(await store.deleteVersion('s', 'latest', false), 2)
  })

  it('soft-deletes a subject (40404 twice), then hard-deletes it (40405 before the soft delete)', async () => {
    const store = newStore()
    await store.setSubjectLevel('s', 'NONE')
    await store.register('s', schema('a:int'))
    await store.register('s', schema('b:int'))
    await store.deleteVersion('s', '1', false)
    await rejectsWith(store.deleteSubject('s', true), 40405, /was not deleted first/)
    assert.deepEqual(await store.deleteSubject('s', false), [2], 'lists the versions it deleted')
    await rejectsWith(store.deleteSubject('s', false), 40404, /was soft deleted/)
    assert.deepEqual(await store.subjects(false), [])
    assert.deepEqual(await store.subjects(true), ['s'])
    await rejectsWith(store.versions('s', false), 40401)
    assert.equal(await store.subjectLevel('s', false), 'NONE', 'a soft delete keeps the config')
    assert.deepEqual(await store.deleteSubject('s', true), [1, 2])
    assert.deepEqual(await store.subjects(true), [])
    await rejectsWith(store.subjectLevel('s', false), 40408, /does not have subject-level/)
    await rejectsWith(store.deleteSubject('s', false), 40401)
    assert.deepEqual(await store.register('s', schema('c:int')), { id: 3 })
    assert.deepEqual(
      await store.versions('s', false),
      [1],
      'versions start again after a hard delete',
    )
  })

  it('brings a soft-deleted schema back as a new version with its old id, dropping the deleted one', async () => {
    const store = newStore()
    await store.setSubjectLevel('s', 'NONE')
    await store.register('s', schema('a:int'))
    await store.register('s', schema('b:int'))
    await store.deleteSubject('s', false)
    assert.deepEqual(await store.register('s', schema('a:int')), { id: 1 })
    assert.deepEqual(await store.versions('s', true), [2, 3])
    assert.deepEqual(await store.lookup('s', schema('a:int'), false), {
      subject: 's',
      version: 3,
      id: 1,
      schema: schema('a:int').schema,
    })
    assert.equal((await store.lookup('s', schema('b:int'), true)).version, 2)
    await rejectsWith(store.lookup('s', schema('b:int'), false), 40403)
  })
})
