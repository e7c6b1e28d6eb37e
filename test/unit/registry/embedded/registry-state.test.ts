import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  configKey,
  configValue,
  deleteSubjectKey,
  deleteSubjectValue,
  schemaKey,
  schemaValue,
} from '../../../../registry/embedded/log-records.ts'
import { RegistryState } from '../../../../registry/embedded/registry-state.ts'

const put = (subject: string, version: number, id: number, schema: string, deleted = false) => ({
  key: schemaKey(subject, version),
  value: schemaValue({ subject, version, id, schema, deleted }),
})

function replay(...entries: { key: string; value: string | null }[]): RegistryState {
  const state = new RegistryState()
  for (const entry of entries) state.apply(entry)
  return state
}

describe('registry/embedded/registry-state', () => {
  it('keeps the last value of each key, and forgets a key at its tombstone', () => {
    const state = replay(
      put('s', 1, 1, '"int"'),
      put('s', 2, 2, '"long"'),
      put('s', 1, 1, '"int"', true),
      { key: schemaKey('s', 2), value: null },
    )
    assert.deepEqual(
      state.versions('s', true).map((v) => [v.version, v.deleted]),
      [[1, true]],
    )
    assert.deepEqual(state.versions('s', false), [])
    assert.equal(state.maxVersion('s'), 1)
    assert.equal(state.maxId, 2, 'ids once used stay used for allocation')
    assert.deepEqual(state.usages(2), [])
  })

  it('marks versions up to the watermark deleted when a DELETE_SUBJECT arrives, not later ones', () => {
    const state = replay(
      put('s', 1, 1, '"int"'),
      put('s', 2, 2, '"long"'),
      { key: deleteSubjectKey('s'), value: deleteSubjectValue('s', 2) },
      put('s', 3, 3, '"string"'),
    )
    assert.deepEqual(
      state.versions('s', false).map((v) => v.version),
      [3],
    )
    assert.deepEqual(
      state.versions('s', true).map((v) => v.version),
      [1, 2, 3],
    )
    assert.equal(state.latest('s')?.id, 3)
  })

  it('ignores a write that gives a version another id, or an id to another schema', () => {
    const state = replay(
      put('s', 1, 1, '"int"'),
      put('s', 1, 2, '"long"'),
      put('t', 1, 1, '"string"'),
      put('t', 1, 3, '"string"'),
    )
    assert.equal(state.version('s', 1)?.schema, '"int"')
    assert.equal(state.version('t', 1)?.id, 3)
    assert.equal(state.idOf('"string"'), 3)
    assert.equal(state.maxId, 3)
  })

  it('finds ids by schema and usages by id across subjects, soft-deleted ones included', () => {
    const state = replay(put('b', 1, 1, '"int"'), put('a', 4, 1, '"int"', true))
    assert.equal(state.idOf('"int"'), 1)
    assert.deepEqual(
      state.usages(1).map((v) => `${v.subject}/${v.version}`),
      ['a/4', 'b/1'],
    )
    assert.deepEqual(state.subjects(false), ['b'])
    assert.deepEqual(state.subjects(true), ['a', 'b'])
    assert.equal(state.hasSubject('a', false), false)
  })

  it('keeps the global and subject levels, and drops them at their tombstones', () => {
    const state = replay(
      { key: configKey(null), value: configValue('FULL') },
      { key: configKey('s'), value: configValue('NONE') },
      { key: configKey('t'), value: configValue('FORWARD') },
      { key: configKey('t'), value: null },
      { key: '{"keytype":"NOOP","magic":0}', value: null },
    )
    assert.equal(state.globalLevel(), 'FULL')
    assert.equal(state.subjectLevel('s'), 'NONE')
    assert.equal(state.subjectLevel('t'), undefined)
    state.apply({ key: configKey(null), value: null })
    assert.equal(state.globalLevel(), undefined)
  })
})
