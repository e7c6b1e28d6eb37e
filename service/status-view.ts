import type {
  ConnectorMetrics,
  ConnectorStatus,
  TableProgress,
} from '../admin-api/connect-service.ts'
import type { SourceLag } from '../connectors/plugin.ts'
import type { Position } from '../connectors/ports.ts'
import type { TargetState } from './config-store.ts'
import type { ConnectorRunner } from './connector-runner.ts'
import type { StoredStatus } from './status-store.ts'

/** The status body: Connect's fields, plus phase, snapshot progress and position. */
export function connectorStatus(
  name: string,
  target: TargetState,
  stored: StoredStatus | undefined,
  runner: ConnectorRunner | undefined,
  position: Position | null,
): ConnectorStatus {
  const state = stored?.state ?? (target === 'STARTED' ? 'UNASSIGNED' : target)
  const workerId = stored?.workerId ?? ''
  const trace = stored?.error?.trace
  const figures = runner?.figures()
  const snapshot: TableProgress[] = [...(figures?.snapshot.values() ?? [])].map((table) => {
    const seconds = (table.updatedAt - table.startedAt) / 1000
    const rate = seconds > 0 ? table.rowsDone / seconds : null
    const remaining =
      table.rowsEstimated === null ? null : Math.max(0, table.rowsEstimated - table.rowsDone)
    return {
      table: table.table,
      rows_done: table.rowsDone,
      rows_estimated: table.rowsEstimated,
      rows_per_second: rate === null ? null : Math.round(rate),
      eta_seconds: table.done
        ? 0
        : rate === null || remaining === null || rate === 0
          ? null
          : Math.ceil(remaining / rate),
      done: table.done,
    }
  })
  const withTrace = trace === undefined ? {} : { trace }
  return {
    name,
    connector: { state, worker_id: workerId, ...withTrace },
    tasks: [{ id: 0, state, worker_id: workerId, ...withTrace }],
    type: 'source',
    phase: figures?.phase ?? null,
    snapshot,
    last_committed_position: position,
    error:
      stored?.error === undefined || stored.error === null
        ? null
        : {
            code: stored.error.code,
            message: stored.error.message,
            retriable: stored.error.retriable,
          },
  }
}

export function metricsOf(
  name: string,
  target: TargetState,
  stored: StoredStatus | undefined,
  runner: ConnectorRunner | undefined,
  lag: SourceLag | null,
): ConnectorMetrics {
  const figures = runner?.figures()
  const tables = [...(figures?.snapshot.values() ?? [])]
  return {
    name,
    state: stored?.state ?? (target === 'STARTED' ? 'UNASSIGNED' : target),
    eventsSeen: figures?.eventsSeen ?? 0,
    recordsProduced: figures?.recordsProduced ?? 0,
    errors: figures?.errors ?? 0,
    snapshotRowsDone: tables.reduce((sum, t) => sum + t.rowsDone, 0),
    snapshotRowsEstimated: tables.reduce((sum, t) => sum + (t.rowsEstimated ?? 0), 0),
    millisBehindSource: figures?.millisBehindSource ?? null,
    lag,
  }
}
