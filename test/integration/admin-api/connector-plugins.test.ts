import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ValidationResult } from '../../../admin-api/connect-service.ts'
import { postgresClass, postgresConfigDef } from './in-memory-connect-service.ts'
import { assertError, buildTestApp, secretValues, validConfig } from './test-app.ts'

describe('admin API connector plugins (inject)', () => {
  it('GET /connector-plugins lists class, type and version, with or without connectorsOnly', async (t) => {
    const { app } = buildTestApp(t)
    const expected = [{ class: postgresClass, type: 'source', version: '3.1.0' }]
    for (const url of [
      '/connector-plugins',
      '/connector-plugins?connectorsOnly=true',
      '/connector-plugins?connectorsOnly=false',
    ]) {
      const response = await app.inject({ url })
      assert.equal(response.statusCode, 200, url)
      assert.deepEqual(response.json(), expected, url)
    }
    assertError(await app.inject({ url: '/connector-plugins?connectorsOnly=maybe' }), {
      status: 400,
      message: /query parameter "connectorsOnly" must be one of/,
    })
  })

  it('GET /connector-plugins/{plugin}/config gives ConfigKeyInfo for class names and aliases', async (t) => {
    const { app } = buildTestApp(t)
    for (const plugin of [postgresClass, 'PostgresConnector', 'Postgres', 'postgres']) {
      const response = await app.inject({ url: `/connector-plugins/${plugin}/config` })
      assert.equal(response.statusCode, 200, plugin)
      const keys = response.json<Array<{ name: string; type: string; order: number }>>()
      assert.deepEqual(
        keys.map((key) => key.name),
        postgresConfigDef.map((field) => field.name),
      )
      assert.equal(keys.find((key) => key.name === 'database.password')?.type, 'PASSWORD')
    }
    assertError(await app.inject({ url: '/connector-plugins/oracle/config' }), {
      status: 404,
      code: 'CDC_API_PLUGIN_NOT_FOUND',
    })
  })

  it('PUT .../config/validate answers 200 with error_count and per-field errors, secrets hidden', async (t) => {
    const { app } = buildTestApp(t)
    const validate = (plugin: string, payload: object) =>
      app.inject({ method: 'PUT', url: `/connector-plugins/${plugin}/config/validate`, payload })

    const valid = await validate('postgres', { ...validConfig(), name: 'a' })
    assert.equal(valid.statusCode, 200, valid.body)
    const ok = valid.json<ValidationResult>()
    assert.equal(ok.error_count, 0)
    assert.equal(ok.name, postgresClass)
    assert.ok(ok.groups.includes('Connection'))
    for (const secret of secretValues) assert.ok(!valid.body.includes(secret))
    const value = (result: ValidationResult, name: string) =>
      result.configs.find((config) => config.value.name === name)?.value
    assert.equal(value(ok, 'database.password')?.value, '[hidden]')
    assert.equal(value(ok, 'connector.class')?.value, postgresClass)

    // Without connector.class the path's plugin is used; invalid configs are still a 200.
    const invalid = await validate('PostgresConnector', {
      'database.port': 'many',
      'snapshot.mode': 'sometimes',
      'sink.key': 'typed-as-password',
    })
    assert.equal(invalid.statusCode, 200, invalid.body)
    const bad = invalid.json<ValidationResult>()
    assert.ok(bad.error_count >= 5, `error_count ${bad.error_count}`)
    assert.deepEqual(value(bad, 'database.port')?.errors, ['must be an integer'])
    assert.deepEqual(value(bad, 'snapshot.mode')?.recommended_values, [
      'initial',
      'never',
      'when_needed',
    ])
    assert.equal(value(bad, 'sink.key')?.value, '[hidden]', 'PASSWORD-typed fields are hidden too')
    const definition = bad.configs[0]?.definition
    assert.deepEqual(Object.keys(definition ?? {}).sort(), [
      'default_value',
      'dependents',
      'display_name',
      'documentation',
      'group',
      'importance',
      'name',
      'order',
      'required',
      'type',
      'width',
    ])

    assertError(await validate('postgres', { 'connector.class': 'io.other.MySqlConnector' }), {
      status: 400,
      message:
        /Included connector type io\.other\.MySqlConnector does not match request type postgres/,
    })
    assertError(await validate('oracle', {}), { status: 404, code: 'CDC_API_PLUGIN_NOT_FOUND' })
    assertError(await validate('postgres', { 'database.port': { n: 1 } }), {
      status: 400,
      message: /body\["database\.port"\] must be a string, a number or a boolean/,
    })
  })
})
