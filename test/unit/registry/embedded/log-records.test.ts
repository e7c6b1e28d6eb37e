import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CdcError } from '../../../../common/errors.ts'
import {
  configKey,
  configValue,
  decodeEntry,
  deleteSubjectKey,
  deleteSubjectValue,
  schemaKey,
  schemaValue,
} from '../../../../registry/embedded/log-records.ts'

function logInvalid(key: string, value: string | null, reason: RegExp): void {
  assert.throws(
    () => decodeEntry({ key, value }),
    (error: unknown) => {
      assert.ok(error instanceof CdcError)
      assert.equal(error.code, 'CDC_REG_LOG_INVALID')
      assert.match(error.message, reason)
      return true
    },
  )
}

describe('registry/embedded/log-records', () => {
  it("spells keys byte for byte as Confluent's _schemas does, since compaction compares bytes", () => {
    assert.equal(
      schemaKey('t-value', 3),
      '{"keytype":"SCHEMA","subject":"t-value","version":3,"magic":1}',
    )
    assert.equal(configKey('t-value'), '{"keytype":"CONFIG","subject":"t-value","magic":0}')
    assert.equal(configKey(null), '{"keytype":"CONFIG","magic":0}')
    assert.equal(
      deleteSubjectKey('t-value'),
      '{"keytype":"DELETE_SUBJECT","subject":"t-value","magic":0}',
    )
    assert.equal(configValue('FULL'), '{"compatibilityLevel":"FULL"}')
    assert.equal(deleteSubjectValue('t-value', 2), '{"subject":"t-value","version":2}')
  })

  it('reads back what it writes', () => {
    const value = { subject: 's', version: 2, id: 7, schema: '"int"', deleted: true }
    assert.deepEqual(decodeEntry({ key: schemaKey('s', 2), value: schemaValue(value) }), {
      kind: 'schema',
      subject: 's',
      version: 2,
      value,
    })
    assert.deepEqual(decodeEntry({ key: schemaKey('s', 2), value: null }), {
      kind: 'schema',
      subject: 's',
      version: 2,
      value: null,
    })
    assert.deepEqual(decodeEntry({ key: configKey(null), value: configValue('NONE') }), {
      kind: 'config',
      subject: null,
      level: 'NONE',
    })
    assert.deepEqual(decodeEntry({ key: configKey('s'), value: null }), {
      kind: 'config',
      subject: 's',
      level: null,
    })
    assert.deepEqual(
      decodeEntry({ key: deleteSubjectKey('s'), value: deleteSubjectValue('s', 4) }),
      {
        kind: 'delete-subject',
        subject: 's',
        version: 4,
      },
    )
  })

  it('reads entries Confluent itself writes: null global subject, extra fields, other key types', () => {
    const confluentSchema = JSON.stringify({
      subject: 's',
      version: 1,
      id: 1,
      md5: 'abc',
      schemaType: 'AVRO',
      schema: '"string"',
      deleted: false,
    })
    const decoded = decodeEntry({ key: schemaKey('s', 1), value: confluentSchema })
    assert.equal(decoded.kind === 'schema' && decoded.value?.schema, '"string"')
    assert.deepEqual(
      decodeEntry({
        key: '{"keytype":"CONFIG","subject":null,"magic":0}',
        value: '{"normalize":true}',
      }),
      {
        kind: 'config',
        subject: null,
        level: null,
      },
    )
    assert.deepEqual(decodeEntry({ key: '{"keytype":"NOOP","magic":0}', value: null }), {
      kind: 'other',
      keytype: 'NOOP',
    })
    assert.deepEqual(
      decodeEntry({
        key: '{"keytype":"MODE","subject":null,"magic":0}',
        value: '{"mode":"READWRITE"}',
      }),
      {
        kind: 'other',
        keytype: 'MODE',
      },
    )
  })

  it('refuses entries outside the layout with CDC_REG_LOG_INVALID naming the key', () => {
    logInvalid('not json', null, /key not json cannot be read: the key is not JSON/)
    logInvalid('[1]', null, /the key is not a JSON object/)
    logInvalid('{"magic":0}', null, /no keytype/)
    logInvalid(schemaKey('s', 0), null, /key version is not an integer of at least 1/)
    logInvalid(schemaKey('s', 1), '{"subject":"s","version":1,"id":1}', /schema is not a string/)
    logInvalid(
      schemaKey('s', 1),
      '{"subject":"s","version":1,"id":1,"schema":"syntax = \\"proto3\\";","schemaType":"PROTOBUF"}',
      /only AVRO is supported/,
    )
    logInvalid(
      configKey('s'),
      '{"compatibilityLevel":"SIDEWAYS"}',
      /unknown compatibility level "SIDEWAYS"/,
    )
  })
})
