import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  assertError,
  buildTestApp,
  createConnector,
  secretValues,
  validConfig,
} from './test-app.ts'

describe('admin API connector lifecycle (inject)', () => {
  it('GET / gives the version, commit and Kafka cluster id', async (t) => {
    const { app } = buildTestApp(t)
    const response = await app.inject({ url: '/' })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), {
      version: '0.1.0',
      commit: 'abc123',
      kafka_cluster_id: 'test-cluster',
    })
  })

  it('POST /connectors creates: 201, Location, ConnectorInfo with the name in the config', async (t) => {
    const { app, service } = buildTestApp(t)
    const response = await app.inject({
      method: 'POST',
      url: '/connectors',
      payload: { name: '  orders "prod" ü ', config: { ...validConfig(), 'tasks.max': 1 } },
    })
    assert.equal(response.statusCode, 201, response.body)
    assert.equal(response.headers.location, `/connectors/${encodeURIComponent('orders "prod" ü')}`)
    const info = response.json<{ name: string; config: Record<string, string>; tasks: unknown }>()
    assert.equal(info.name, 'orders "prod" ü', 'the name is trimmed, as Kafka Connect does')
    assert.equal(info.config.name, 'orders "prod" ü')
    assert.equal(info.config['tasks.max'], '1', 'numbers are stored as text')
    assert.equal(info.config['database.password'], '[hidden]')
    assert.deepEqual(info.tasks, [{ connector: 'orders "prod" ü', task: 0 }])
    const stored = await service.config('orders "prod" ü')
    assert.equal(stored['database.password'], secretValues[0], 'the real secret is stored')

    const again = await app.inject({
      method: 'POST',
      url: '/connectors',
      payload: { name: 'orders "prod" ü', config: validConfig() },
    })
    assertError(again, { status: 409, code: 'CDC_API_CONNECTOR_EXISTS' })
  })

  it('POST /connectors refuses a mismatched name, an unknown plugin and an invalid config', async (t) => {
    const { app } = buildTestApp(t)
    const post = (payload: unknown) =>
      app.inject({ method: 'POST', url: '/connectors', payload: payload as object })
    assertError(await post({ name: 'a', config: validConfig({ name: 'b' }) }), {
      status: 400,
      message: /\(b\) doesn't match .* \(a\)/,
    })
    assertError(await post({ name: 'a', config: validConfig({ 'connector.class': 'oracle' }) }), {
      status: 404,
      code: 'CDC_API_PLUGIN_NOT_FOUND',
    })
    const invalid = assertError(
      await post({
        name: 'a',
        config: validConfig({ 'database.port': 'x', 'snapshot.mode': 'sometimes', bogus: '1' }),
      }),
      { status: 400, code: 'CDC_CONFIG_INVALID' },
    )
    for (const field of ['database.port', 'snapshot.mode', 'bogus']) {
      assert.match(invalid.message, new RegExp(`^${field.replace('.', '\\.')}: `, 'm'))
    }
    assertError(await post({ name: 'a', config: validConfig(), initial_state: 'PAUSED' }), {
      status: 400,
      message: /initial_state PAUSED is not supported/,
    })
    const running = await post({ name: 'a', config: validConfig(), initial_state: 'running' })
    assert.equal(running.statusCode, 201)
  })

  it('GET /connectors lists names, and expands status and info by name', async (t) => {
    const { app } = buildTestApp(t)
    assert.deepEqual((await app.inject({ url: '/connectors' })).json(), [])
    await createConnector(app, 'b')
    await createConnector(app, 'a')
    assert.deepEqual((await app.inject({ url: '/connectors' })).json(), ['a', 'b'])

    const status = (await app.inject({ url: '/connectors?expand=status' })).json<
      Record<string, { status?: { connector: { state: string } }; info?: unknown }>
    >()
    assert.deepEqual(Object.keys(status).sort(), ['a', 'b'])
    assert.equal(status.a?.status?.connector.state, 'RUNNING')
    assert.equal(status.a.info, undefined)

    const both = (await app.inject({ url: '/connectors?expand=status&expand=info' })).json<
      Record<string, { status?: unknown; info?: { config: Record<string, string> } }>
    >()
    assert.ok(both.b?.status !== undefined)
    assert.equal(both.b.info?.config['database.password'], '[hidden]')

    assertError(await app.inject({ url: '/connectors?expand=everything' }), {
      status: 400,
      message: /query parameter "expand"/,
    })
  })

  it('GET and PUT /connectors/{name}/config: 200 on update, 201 on create, masks kept', async (t) => {
    const { app, service } = buildTestApp(t)
    await createConnector(app, 'a')
    const config = (await app.inject({ url: '/connectors/a/config' })).json<
      Record<string, string>
    >()
    assert.equal(config.name, 'a')
    assert.equal(config['database.password'], '[hidden]')

    // Kafka UI's edit: read, change one field, put everything back (masks included).
    const updated = await app.inject({
      method: 'PUT',
      url: '/connectors/a/config',
      payload: { ...config, 'topic.prefix': 'shop2' },
    })
    assert.equal(updated.statusCode, 200, updated.body)
    assert.equal(updated.headers.location, undefined)
    const stored = await service.config('a')
    assert.equal(stored['topic.prefix'], 'shop2')
    assert.equal(
      stored['database.password'],
      secretValues[0],
      'the mask did not overwrite the secret',
    )
    assert.equal(stored['api.token'], secretValues[2])

    const created = await app.inject({
      method: 'PUT',
      url: '/connectors/new%20one/config',
      payload: validConfig(),
    })
    assert.equal(created.statusCode, 201, created.body)
    assert.equal(created.headers.location, '/connectors/new%20one')
    assert.equal(created.json<{ config: Record<string, string> }>().config.name, 'new one')

    assertError(
      await app.inject({
        method: 'PUT',
        url: '/connectors/a/config',
        payload: validConfig({ name: 'b' }),
      }),
      { status: 400, code: 'CDC_API_BAD_REQUEST' },
    )
    assertError(
      await app.inject({
        method: 'PUT',
        url: '/connectors/fresh/config',
        payload: validConfig({ 'database.password': '[hidden]' }),
      }),
      { status: 400, message: /"database\.password" has the value "\[hidden\]"/ },
    )
  })

  it('pause, resume and stop change the state: 202, 202, 204 as Kafka Connect answers', async (t) => {
    const { app } = buildTestApp(t)
    await createConnector(app, 'a')
    const state = async () =>
      (await app.inject({ url: '/connectors/a/status' })).json<{
        connector: { state: string }
        tasks: Array<{ id: number; state: string }>
        type: string
        phase: string | null
        snapshot: unknown[]
        last_committed_position: unknown
        error: unknown
      }>()
    const running = await state()
    assert.equal(running.connector.state, 'RUNNING')
    assert.deepEqual(
      running.tasks.map((task) => [task.id, task.state]),
      [[0, 'RUNNING']],
    )
    assert.equal(running.type, 'source')
    assert.equal(running.phase, 'streaming')
    assert.equal(running.snapshot.length, 1)
    assert.deepEqual(running.last_committed_position, { lsn: '0/16B3748', txId: 42 })
    assert.equal(running.error, null)

    const pause = await app.inject({ method: 'PUT', url: '/connectors/a/pause' })
    assert.equal(pause.statusCode, 202)
    assert.equal(pause.body, '')
    assert.equal((await state()).connector.state, 'PAUSED')
    // Clients that send a JSON content type with no body must not get an error.
    const resume = await app.inject({
      method: 'PUT',
      url: '/connectors/a/resume',
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(resume.statusCode, 202, resume.body)
    assert.equal((await state()).connector.state, 'RUNNING')
    const stop = await app.inject({ method: 'PUT', url: '/connectors/a/stop' })
    assert.equal(stop.statusCode, 204)
    const stopped = await state()
    assert.equal(stopped.connector.state, 'STOPPED')
    assert.deepEqual(stopped.tasks, [])
  })

  it('restart: 204 alone, 202 with the status when includeTasks or onlyFailed', async (t) => {
    const { app, service } = buildTestApp(t)
    await createConnector(app, 'a')
    service.fail('a', 'java.lang.Exception: boom')
    const failed = (await app.inject({ url: '/connectors/a/status' })).json<{
      connector: { state: string; trace: string }
      error: { code: string }
    }>()
    assert.equal(failed.connector.state, 'FAILED')
    assert.equal(failed.connector.trace, 'java.lang.Exception: boom')
    assert.equal(failed.error.code, 'CDC_PG_CONNECTION')

    const plain = await app.inject({ method: 'POST', url: '/connectors/a/restart' })
    assert.equal(plain.statusCode, 204)
    assert.equal(plain.body, '')
    const withTasks = await app.inject({
      method: 'POST',
      url: '/connectors/a/restart?includeTasks=true',
    })
    assert.equal(withTasks.statusCode, 202)
    assert.equal(withTasks.json<{ name: string }>().name, 'a')
    const onlyFailed = await app.inject({
      method: 'POST',
      url: '/connectors/a/restart?onlyFailed=TRUE&includeTasks=false',
    })
    assert.equal(onlyFailed.statusCode, 202)
    assert.deepEqual(service.restarts, [
      { name: 'a', includeTasks: false, onlyFailed: false },
      { name: 'a', includeTasks: true, onlyFailed: false },
      { name: 'a', includeTasks: false, onlyFailed: true },
    ])
  })

  it('tasks: one task 0 mapped onto the connector; other ids are 404', async (t) => {
    const { app, service } = buildTestApp(t)
    await createConnector(app, 'a')
    const tasks = (await app.inject({ url: '/connectors/a/tasks' })).json<
      Array<{ id: { connector: string; task: number }; config: Record<string, string> }>
    >()
    assert.equal(tasks.length, 1)
    assert.deepEqual(tasks[0]?.id, { connector: 'a', task: 0 })
    assert.equal(tasks[0].config['database.password'], '[hidden]')

    const status = await app.inject({ url: '/connectors/a/tasks/0/status' })
    assert.deepEqual(status.json(), { id: 0, state: 'RUNNING', worker_id: '127.0.0.1:8083' })
    assertError(await app.inject({ url: '/connectors/a/tasks/1/status' }), {
      status: 404,
      code: 'CDC_API_TASK_NOT_FOUND',
    })
    const restart = await app.inject({ method: 'POST', url: '/connectors/a/tasks/0/restart' })
    assert.equal(restart.statusCode, 204)
    assert.equal(service.restarts.length, 1)
    assertError(await app.inject({ method: 'POST', url: '/connectors/a/tasks/3/restart' }), {
      status: 404,
      code: 'CDC_API_TASK_NOT_FOUND',
    })
    assertError(await app.inject({ url: '/connectors/a/tasks/zero/status' }), { status: 400 })

    await app.inject({ method: 'PUT', url: '/connectors/a/stop' })
    assert.deepEqual((await app.inject({ url: '/connectors/a/tasks' })).json(), [])
    assertError(await app.inject({ url: '/connectors/a/tasks/0/status' }), {
      status: 404,
      message: /no tasks while STOPPED/,
    })
  })

  it('topics: the active topics by connector name, and a reset', async (t) => {
    const { app, service } = buildTestApp(t)
    await createConnector(app, 'a')
    service.addTopic('a', 'shop.public.orders')
    assert.deepEqual((await app.inject({ url: '/connectors/a/topics' })).json(), {
      a: { topics: ['shop.public.orders'] },
    })
    const reset = await app.inject({ method: 'PUT', url: '/connectors/a/topics/reset' })
    assert.equal(reset.statusCode, 202)
    assert.deepEqual((await app.inject({ url: '/connectors/a/topics' })).json(), {
      a: { topics: [] },
    })
  })

  it('offsets: read anytime, altered and reset only when STOPPED (409 otherwise)', async (t) => {
    const { app } = buildTestApp(t)
    await createConnector(app, 'a')
    assert.deepEqual((await app.inject({ url: '/connectors/a/offsets' })).json(), { offsets: [] })
    const body = { offsets: [{ partition: { server: 'shop' }, offset: { lsn: '0/1A', txId: 7 } }] }
    assertError(
      await app.inject({ method: 'PATCH', url: '/connectors/a/offsets', payload: body }),
      {
        status: 409,
        code: 'CDC_API_CONFLICT',
      },
    )
    assertError(await app.inject({ method: 'DELETE', url: '/connectors/a/offsets' }), {
      status: 409,
      code: 'CDC_API_CONFLICT',
    })

    await app.inject({ method: 'PUT', url: '/connectors/a/stop' })
    const altered = await app.inject({
      method: 'PATCH',
      url: '/connectors/a/offsets',
      payload: body,
    })
    assert.equal(altered.statusCode, 200)
    assert.deepEqual(altered.json(), {
      message: 'The offsets for this connector have been altered successfully',
    })
    assert.deepEqual((await app.inject({ url: '/connectors/a/offsets' })).json(), body)
    assertError(
      await app.inject({ method: 'PATCH', url: '/connectors/a/offsets', payload: { offsets: [] } }),
      { status: 400, message: /fewer than 1 items/ },
    )
    const reset = await app.inject({ method: 'DELETE', url: '/connectors/a/offsets' })
    assert.equal(reset.statusCode, 200)
    assert.deepEqual(reset.json(), {
      message: 'The offsets for this connector have been reset successfully',
    })
    assert.deepEqual((await app.inject({ url: '/connectors/a/offsets' })).json(), { offsets: [] })
  })

  it('lag and ad-hoc snapshots (Debezium\'s "data-collections", or "tables")', async (t) => {
    const { app, service } = buildTestApp(t)
    await createConnector(app, 'a')
    assert.deepEqual((await app.inject({ url: '/connectors/a/lag' })).json(), {
      lag_bytes: 2048,
      slot_name: 'cdc_slot',
      active: true,
      confirmed_flush_lsn: null,
    })
    const post = (payload: object) =>
      app.inject({ method: 'POST', url: '/connectors/a/snapshots', payload })
    const first = await post({
      'data-collections': ['public.orders', 'public.items'],
      type: 'blocking',
    })
    assert.equal(first.statusCode, 202, first.body)
    assert.match(first.json<{ message: string }>().message, /2 table\(s\)/)
    assert.equal((await post({ tables: ['public.orders'] })).statusCode, 202)
    assert.deepEqual(service.snapshots, [
      { name: 'a', tables: ['public.orders', 'public.items'] },
      { name: 'a', tables: ['public.orders'] },
    ])
    assertError(await post({ tables: ['x'], 'data-collections': ['y'] }), {
      status: 400,
      message: /not both/,
    })
    assertError(await post({}), { status: 400, message: /needs "data-collections"/ })
    assertError(await post({ tables: ['x'], type: 'incremental' }), {
      status: 400,
      message: /blocking snapshots only/,
    })
    await app.inject({ method: 'PUT', url: '/connectors/a/pause' })
    assertError(await post({ tables: ['public.orders'] }), {
      status: 409,
      code: 'CDC_API_CONFLICT',
    })
  })

  it('DELETE /connectors/{name}: 204, then every connector route answers 404', async (t) => {
    const { app } = buildTestApp(t)
    await createConnector(app, 'a')
    const deleted = await app.inject({ method: 'DELETE', url: '/connectors/a' })
    assert.equal(deleted.statusCode, 204)
    assert.deepEqual((await app.inject({ url: '/connectors' })).json(), [])
    const routes: Array<[string, string, object?]> = [
      ['GET', '/connectors/a'],
      ['DELETE', '/connectors/a'],
      ['GET', '/connectors/a/config'],
      ['GET', '/connectors/a/status'],
      ['PUT', '/connectors/a/pause'],
      ['PUT', '/connectors/a/resume'],
      ['PUT', '/connectors/a/stop'],
      ['POST', '/connectors/a/restart'],
      ['POST', '/connectors/a/restart?includeTasks=true'],
      ['GET', '/connectors/a/tasks'],
      ['GET', '/connectors/a/tasks/0/status'],
      ['POST', '/connectors/a/tasks/0/restart'],
      ['GET', '/connectors/a/topics'],
      ['PUT', '/connectors/a/topics/reset'],
      ['GET', '/connectors/a/offsets'],
      ['PATCH', '/connectors/a/offsets', { offsets: [{ partition: { s: 'x' }, offset: null }] }],
      ['DELETE', '/connectors/a/offsets'],
      ['GET', '/connectors/a/lag'],
      ['POST', '/connectors/a/snapshots', { tables: ['t'] }],
    ]
    for (const [method, url, payload] of routes) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        ...(payload === undefined ? {} : { payload }),
      })
      assertError(
        response,
        { status: 404, code: 'CDC_API_CONNECTOR_NOT_FOUND' },
        `${method} ${url}`,
      )
    }
  })

  it('answers 409 CDC_API_REBALANCING while connectors are reassigned', async (t) => {
    const { app, service } = buildTestApp(t)
    service.rebalancing = true
    const response = await app.inject({
      method: 'POST',
      url: '/connectors',
      payload: { name: 'a', config: validConfig() },
    })
    assertError(response, { status: 409, code: 'CDC_API_REBALANCING' })
  })

  it('a genuine internal error is a 500 with a generic message and the request id', async (t) => {
    const { app } = buildTestApp(t)
    const response = await app.inject({
      method: 'POST',
      url: '/connectors',
      payload: { name: 'a', config: validConfig({ 'test.fail': 'internal' }) },
    })
    assert.equal(response.statusCode, 500)
    const body = response.json<{ error_code: number; code: string; message: string }>()
    assert.equal(body.error_code, 500)
    assert.equal(body.code, 'CDC_API_INTERNAL')
    assert.match(body.message, /unexpected internal error.*request id req-/)
    assert.ok(!response.body.includes('driver failed'))
  })

  it('GET /health is 200 when UP and 503 when DOWN', async (t) => {
    const { app, service } = buildTestApp(t)
    const up = await app.inject({ url: '/health' })
    assert.equal(up.statusCode, 200)
    assert.deepEqual(up.json(), { status: 'UP', checks: { kafka: 'UP', registry: 'UP' } })
    service.healthy = false
    const down = await app.inject({ url: '/health' })
    assert.equal(down.statusCode, 503)
    assert.equal(down.json<{ status: string }>().status, 'DOWN')
  })
})
