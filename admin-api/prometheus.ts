import { connectorStates } from './connect-service.ts'
import type { ConnectorMetrics } from './connect-service.ts'

/** Content type of the Prometheus text exposition format 0.0.4. */
export const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8'

type Labels = Readonly<Record<string, string>>

interface Family {
  name: string
  type: 'gauge' | 'counter'
  help: string
  samples: (metrics: ConnectorMetrics) => Array<{ labels: Labels; value: number }>
}

const families: readonly Family[] = [
  {
    name: 'cdc_connector_state',
    type: 'gauge',
    help: 'Connector state as GET /connectors/{name}/status shows it: 1 for the current state, 0 for the others.',
    samples: (m) =>
      connectorStates.map((state) => ({
        labels: { connector: m.name, state },
        value: m.state === state ? 1 : 0,
      })),
  },
  {
    name: 'cdc_events_seen_total',
    type: 'counter',
    help: 'Change events read from the source, before unchanged rows are filtered out.',
    samples: (m) => [{ labels: { connector: m.name }, value: m.eventsSeen }],
  },
  {
    name: 'cdc_records_produced_total',
    type: 'counter',
    help: 'Records durably written to Kafka.',
    samples: (m) => [{ labels: { connector: m.name }, value: m.recordsProduced }],
  },
  {
    name: 'cdc_errors_total',
    type: 'counter',
    help: 'Errors the connector has hit, retried ones included.',
    samples: (m) => [{ labels: { connector: m.name }, value: m.errors }],
  },
  {
    name: 'cdc_snapshot_rows_done',
    type: 'gauge',
    help: 'Rows read by the current or last snapshot.',
    samples: (m) => [{ labels: { connector: m.name }, value: m.snapshotRowsDone }],
  },
  {
    name: 'cdc_snapshot_rows_estimated',
    type: 'gauge',
    help: "Rows the database estimates the snapshot's tables hold.",
    samples: (m) => [{ labels: { connector: m.name }, value: m.snapshotRowsEstimated }],
  },
  {
    name: 'cdc_millis_behind_source',
    type: 'gauge',
    help: 'Milliseconds between the source commit of the newest processed event and its processing.',
    samples: (m) =>
      m.millisBehindSource === null
        ? []
        : [{ labels: { connector: m.name }, value: m.millisBehindSource }],
  },
  {
    name: 'cdc_source_lag',
    type: 'gauge',
    help: 'Numeric fields of GET /connectors/{name}/lag, as the source database reports them.',
    samples: (m) =>
      Object.entries(m.lag ?? {}).flatMap(([field, value]) =>
        typeof value === 'number' ? [{ labels: { connector: m.name, field }, value }] : [],
      ),
  },
]

const escapeLabel = (value: string): string =>
  value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  return String(value)
}

function formatLabels(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`)
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`
}

export function renderPrometheus(metrics: readonly ConnectorMetrics[]): string {
  const lines: string[] = []
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`)
    for (const connector of metrics) {
      for (const sample of family.samples(connector)) {
        lines.push(`${family.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`)
      }
    }
  }
  return `${lines.join('\n')}\n`
}
