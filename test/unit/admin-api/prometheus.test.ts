import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ConnectorMetrics } from '../../../admin-api/connect-service.ts'
import { renderPrometheus } from '../../../admin-api/prometheus.ts'

const metrics = (overrides: Partial<ConnectorMetrics> = {}): ConnectorMetrics => ({
  name: 'orders',
  state: 'RUNNING',
  eventsSeen: 7,
  recordsProduced: 6,
  errors: 0,
  snapshotRowsDone: 3,
  snapshotRowsEstimated: 4,
  millisBehindSource: 12,
  lag: { lag_bytes: 100, slot: 'cdc', active: true, none: null },
  ...overrides,
})

// One line of the text format 0.0.4: a comment, or name{labels} value.
const sampleLine =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\\n])*",?)*\})? (NaN|[+-]Inf|-?\d+(\.\d+)?(e[+-]?\d+)?)$/

describe('admin-api/prometheus', () => {
  it('writes HELP and TYPE for every family, then its samples', () => {
    const text = renderPrometheus([metrics()])
    assert.ok(text.endsWith('\n'))
    const lines = text.trimEnd().split('\n')
    for (const line of lines) {
      if (line.startsWith('#')) assert.match(line, /^# (HELP|TYPE) cdc_[a-z_]+ \S/)
      else assert.match(line, sampleLine)
    }
    assert.ok(lines.includes('# TYPE cdc_events_seen_total counter'))
    assert.ok(lines.includes('cdc_events_seen_total{connector="orders"} 7'))
    assert.ok(lines.includes('cdc_connector_state{connector="orders",state="RUNNING"} 1'))
    assert.ok(lines.includes('cdc_connector_state{connector="orders",state="FAILED"} 0'))
    assert.ok(lines.includes('cdc_millis_behind_source{connector="orders"} 12'))
    assert.ok(lines.includes('cdc_source_lag{connector="orders",field="lag_bytes"} 100'))
    assert.ok(!text.includes('field="slot"'), 'only numeric lag fields')
  })

  it('leaves out unknown values and escapes label values', () => {
    const text = renderPrometheus([
      metrics({ name: 'a"b\\c\nd', millisBehindSource: null, lag: null, errors: Number.NaN }),
    ])
    assert.ok(!text.includes('cdc_millis_behind_source{'))
    assert.ok(!text.includes('cdc_source_lag{'))
    assert.ok(text.includes('cdc_errors_total{connector="a\\"b\\\\c\\nd"} NaN'))
    for (const line of text.trimEnd().split('\n'))
      if (!line.startsWith('#')) assert.match(line, sampleLine)
  })

  it('renders the families even with no connectors', () => {
    const text = renderPrometheus([])
    assert.equal(text.split('\n').filter((line) => line.startsWith('# TYPE')).length, 8)
    assert.ok(text.split('\n').every((line) => line === '' || line.startsWith('#')))
  })
})
