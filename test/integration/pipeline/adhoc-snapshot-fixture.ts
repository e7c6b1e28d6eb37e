// What the ad-hoc snapshot pipeline tests share: reading change events back, waiting on
// the status, and the checks both connectors must pass.
import assert from 'node:assert/strict'
import { jsonPayload, readUntil } from '../../helpers/kafka-read.ts'
import { api } from '../../helpers/service-process.ts'
import { waitFor } from '../../helpers/wait-for.ts'

export const jsonConverters = {
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'key.converter.schemas.enable': 'false',
  'value.converter.schemas.enable': 'false',
}

/** One change event of a table with an `id` column, as read from Kafka. */
export interface Change {
  op: string
  id: number
  /** `source.snapshot`: Debezium's marker, `false` for streamed changes. */
  snapshot: string
}

/** The change events on `topic` (tombstones left out), once `done` holds for them. */
export async function changesUntil(
  topic: string,
  done: (changes: readonly Change[]) => boolean,
  timeoutMs = 90_000,
): Promise<Change[]> {
  const parse = (values: readonly (Buffer | null)[]): Change[] =>
    values.flatMap((value) => {
      const payload = jsonPayload(value)
      if (payload === null) return []
      const row = (payload.op === 'd' ? payload.before : payload.after) as { id: number }
      const source = payload.source as { snapshot: string }
      return [{ op: String(payload.op), id: row.id, snapshot: source.snapshot }]
    })
  const records = await readUntil(
    [topic],
    (read) => done(parse(read.map((r) => r.value))),
    timeoutMs,
  )
  return parse(records.map((record) => record.value))
}

export interface StatusBody {
  connector: { state: string }
  phase: string | null
  snapshot: { table: string; rows_done: number; done: boolean }[]
  error: { code: string; message: string } | null
}

/** Waits until the connector's status satisfies `done`; the error says the last status seen. */
export async function waitForStatus(
  url: string,
  name: string,
  what: string,
  done: (status: StatusBody) => boolean,
  timeoutMs = 90_000,
): Promise<StatusBody> {
  let last: StatusBody | null = null
  try {
    return await waitFor(
      what,
      async () => {
        const response = await api<StatusBody>(url, 'GET', `/connectors/${name}/status`)
        last = response.body
        if (last.connector.state === 'FAILED')
          throw new Error(`connector FAILED: ${JSON.stringify(last.error)}`)
        return done(last) ? last : undefined
      },
      { timeoutMs, intervalMs: 100 },
    )
  } catch (error) {
    throw new Error(`${String(error)}; last status ${JSON.stringify(last)}`, { cause: error })
  }
}

export function waitForStreaming(url: string, name: string): Promise<StatusBody> {
  return waitForStatus(
    url,
    name,
    `${name} streaming`,
    (status) => status.connector.state === 'RUNNING' && status.phase === 'streaming',
  )
}

/** The connector's stored position, through GET /connectors/{name}/offsets. */
export async function storedPosition(url: string, name: string): Promise<Record<string, unknown>> {
  const response = await api<{ offsets: { offset: Record<string, unknown> }[] }>(
    url,
    'GET',
    `/connectors/${name}/offsets`,
  )
  assert.equal(response.status, 200)
  return response.body.offsets[0]?.offset ?? {}
}

/**
 * The `r` events of the last complete snapshot in `changes` (from its `first` marker to
 * its `last`), after checking Debezium's markers in between; and what follows it.
 */
export function lastSnapshot(changes: readonly Change[]): {
  reads: Change[]
  before: Change[]
  after: Change[]
} {
  const last = changes.findLastIndex((change) => change.op === 'r' && change.snapshot === 'last')
  assert.ok(last >= 0, `no complete snapshot in ${JSON.stringify(changes)}`)
  let first = last
  for (;;) {
    const previous = changes[first - 1]
    if (changes[first]?.snapshot === 'first' || previous?.op !== 'r') break
    if (previous.snapshot === 'last') break
    first--
  }
  const reads = changes.slice(first, last + 1)
  assert.ok(
    reads.every((change) => change.op === 'r'),
    `streamed changes between the r events of one snapshot: ${JSON.stringify(reads)}`,
  )
  if (reads.length > 1) {
    assert.equal(reads[0]?.snapshot, 'first')
    assert.ok(reads.slice(1, -1).every((change) => change.snapshot === 'true'))
  }
  return { reads, before: changes.slice(0, first), after: changes.slice(last + 1) }
}

/** `op:id` of each change, for readable assertions. */
export function summary(changes: readonly Change[]): string[] {
  return changes.map((change) => `${change.op}:${String(change.id)}`)
}
