// A connector's status as the admin API reports it, and waiting for one.
import { api } from './service-process.ts'
import { waitFor } from './wait-for.ts'

export interface ConnectorStatusBody {
  connector: { state: string; trace?: string }
  phase: string | null
  snapshot: { table: string; rows_done: number; done: boolean }[]
  last_committed_position: Record<string, unknown> | null
  error: { code: string; message: string; retriable: boolean } | null
}

export async function connectorStatus(url: string, name: string): Promise<ConnectorStatusBody> {
  const response = await api<ConnectorStatusBody>(url, 'GET', `/connectors/${name}/status`)
  if (response.status !== 200) {
    throw new Error(
      `status of ${name}: HTTP ${String(response.status)} ${JSON.stringify(response.body)}`,
    )
  }
  return response.body
}

/**
 * Waits until the status satisfies `done`; the timeout error carries the last status seen,
 * which usually says why (a FAILED error, a phase that never came). An error thrown by
 * `done` ends the wait at once.
 */
export async function waitForStatus(
  url: string,
  name: string,
  what: string,
  done: (status: ConnectorStatusBody) => boolean,
  timeoutMs = 60_000,
): Promise<ConnectorStatusBody> {
  let last: ConnectorStatusBody | undefined
  let verdict: { error: unknown } | undefined
  try {
    await waitFor(
      what,
      async () => {
        const status = await connectorStatus(url, name)
        last = status
        try {
          return done(status) ? true : undefined
        } catch (error) {
          verdict = { error }
          return true
        }
      },
      { timeoutMs, intervalMs: 200 },
    )
  } catch (error) {
    throw new Error(`${String(error)}; last status: ${JSON.stringify(last)}`, { cause: error })
  }
  if (verdict !== undefined) throw verdict.error
  if (last === undefined) throw new Error(`no status of ${name}`)
  return last
}

/** Waits for RUNNING in the streaming phase; fails at once on FAILED. */
export function waitForStreaming(
  url: string,
  name: string,
  timeoutMs = 60_000,
): Promise<ConnectorStatusBody> {
  return waitForStatus(
    url,
    name,
    `${name} to stream`,
    (status) => {
      if (status.connector.state === 'FAILED') {
        throw new Error(`${name} FAILED instead of streaming: ${JSON.stringify(status.error)}`)
      }
      return status.connector.state === 'RUNNING' && status.phase === 'streaming'
    },
    timeoutMs,
  )
}

/** The sequence number of `domain` in a MariaDB GTID position (`0-1-42,1-1-7`); -1 if absent. */
export function mariadbGtidSequence(position: string, domain: string): bigint {
  for (const gtid of position.split(',')) {
    const [d, , seq] = gtid.trim().split('-')
    if (d === domain && seq !== undefined) return BigInt(seq)
  }
  return -1n
}

/**
 * Waits until a MariaDB connector's stored position includes transaction `gtid`
 * (`domain-server-seq`): every record of it and before it is then durable in Kafka, and
 * nothing up to it will be written again. Fails at once on FAILED.
 */
export function waitForMariadbPosition(
  url: string,
  name: string,
  gtid: string,
  timeoutMs = 120_000,
): Promise<ConnectorStatusBody> {
  const [domain = '0'] = gtid.split('-')
  const target = mariadbGtidSequence(gtid, domain)
  return waitForStatus(
    url,
    name,
    `the stored position of ${name} to reach GTID ${gtid}`,
    (status) => {
      if (status.connector.state === 'FAILED') {
        throw new Error(`${name} FAILED: ${JSON.stringify(status.error)}`)
      }
      const gtids = status.last_committed_position?.gtids
      return typeof gtids === 'string' && mariadbGtidSequence(gtids, domain) >= target
    },
    timeoutMs,
  )
}
