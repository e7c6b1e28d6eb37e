import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { postgresConfigDef } from './in-memory-connect-service.ts'
import { buildTestApp, createConnector } from './test-app.ts'

interface Operation {
  summary?: string
  parameters?: Array<{ in: string; name: string }>
  requestBody?: { content: Record<string, { schema: unknown }> }
  responses: Record<string, unknown>
}
interface OpenApi {
  openapi: string
  info: { description: string }
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, unknown> }
}

// The text format 0.0.4, line by line: HELP, TYPE, or a sample with escaped label values.
const helpLine = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/
const typeLine = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/
const sampleLine =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:\\[\\"n]|[^"\\\n])*",?)*\})? (NaN|[+-]Inf|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/

function parsePrometheus(text: string): Map<string, { type: string; samples: string[] }> {
  const families = new Map<string, { type: string; samples: string[] }>()
  let current: string | undefined
  assert.ok(text.endsWith('\n'), 'the exposition ends with a newline')
  for (const line of text.slice(0, -1).split('\n')) {
    const help = helpLine.exec(line)
    const type = typeLine.exec(line)
    const sample = sampleLine.exec(line)
    if (help !== null) {
      current = help[1]
    } else if (type !== null) {
      assert.equal(type[1], current, 'TYPE follows the HELP of the same family')
      families.set(type[1] ?? '', { type: type[2] ?? '', samples: [] })
    } else if (sample !== null) {
      assert.equal(sample[1], current, `sample ${line} belongs to the family above it`)
      families.get(sample[1] ?? '')?.samples.push(line)
    } else {
      assert.fail(`not a line of the Prometheus text format: ${JSON.stringify(line)}`)
    }
  }
  return families
}

describe('admin API docs and metrics', () => {
  it('GET /docs/json lists every route with its method, parameters, body and responses', async (t) => {
    const { app } = buildTestApp(t)
    const registered: Array<{ method: string; url: string; hidden: boolean }> = []
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        const hidden = route.schema?.hide === true
        registered.push({ method, url: route.url, hidden })
      }
    })
    const response = await app.inject({ url: '/docs/json' })
    assert.equal(response.statusCode, 200)
    const doc = response.json<OpenApi>()
    assert.equal(doc.openapi, '3.1.0')
    const documented = registered.filter((route) => !route.hidden && route.method !== 'HEAD')
    assert.equal(documented.length, 27, 'every endpoint of the brief, once')
    for (const route of documented) {
      const path = route.url.replace(/:([a-zA-Z]+)/g, '{$1}')
      const operation = doc.paths[path]?.[route.method.toLowerCase()]
      assert.ok(operation !== undefined, `${route.method} ${path} is documented`)
      assert.ok((operation.summary ?? '').length > 0, `${route.method} ${path} has a summary`)
      assert.ok(Object.keys(operation.responses).some((code) => code.startsWith('2')))
      assert.ok(
        '4XX' in operation.responses || '4xx' in operation.responses,
        `${path} documents errors`,
      )
      for (const name of path.match(/\{(\w+)\}/g) ?? []) {
        const param = name.slice(1, -1)
        assert.ok(
          operation.parameters?.some((p) => p.in === 'path' && p.name === param),
          `${path} ${param}`,
        )
      }
      if (
        ['POST', 'PUT', 'PATCH'].includes(route.method) &&
        !/pause|resume|stop|restart|reset/.test(path)
      ) {
        assert.ok(
          operation.requestBody?.content['application/json'] !== undefined,
          `${route.method} ${path} body`,
        )
      }
    }
    for (const name of ['ConnectError', 'ConnectorInfo', 'ConnectorStatus', 'ValidationResult']) {
      assert.ok(name in doc.components.schemas, name)
    }
    for (const field of postgresConfigDef) {
      assert.ok(doc.info.description.includes(`\`${field.name}\``), `${field.name} is documented`)
    }
  })

  it('GET /docs serves the Swagger UI', async (t) => {
    const { app } = buildTestApp(t)
    const response = await app.inject({ url: '/docs' })
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /text\/html/)
    assert.match(response.body, /swagger-ui/i)
  })

  it('GET /metrics is Prometheus text 0.0.4 with per-connector labels', async (t) => {
    const { app, service } = buildTestApp(t)
    await createConnector(app, 'orders')
    await createConnector(app, 'we"ird\\name')
    await service.pause('we"ird\\name')
    const response = await app.inject({ url: '/metrics' })
    assert.equal(response.statusCode, 200)
    assert.equal(response.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8')
    const families = parsePrometheus(response.body)
    assert.deepEqual([...families.keys()].sort(), [
      'cdc_connector_state',
      'cdc_errors_total',
      'cdc_events_seen_total',
      'cdc_millis_behind_source',
      'cdc_records_produced_total',
      'cdc_snapshot_rows_done',
      'cdc_snapshot_rows_estimated',
      'cdc_source_lag',
    ])
    assert.equal(families.get('cdc_events_seen_total')?.type, 'counter')
    const samples = (name: string) => families.get(name)?.samples ?? []
    assert.ok(
      samples('cdc_connector_state').includes(
        'cdc_connector_state{connector="orders",state="RUNNING"} 1',
      ),
    )
    assert.ok(
      samples('cdc_connector_state').includes(
        'cdc_connector_state{connector="we\\"ird\\\\name",state="PAUSED"} 1',
      ),
    )
    assert.deepEqual(samples('cdc_millis_behind_source'), [
      'cdc_millis_behind_source{connector="orders"} 250',
    ])
    assert.ok(
      samples('cdc_source_lag').includes(
        'cdc_source_lag{connector="orders",field="lag_bytes"} 2048',
      ),
    )
    assert.equal(samples('cdc_records_produced_total').length, 2)
  })
})
