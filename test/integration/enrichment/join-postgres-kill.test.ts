// The join end to end under crashes, as users run it: the Postgres connector captures a
// 20k-change orders/customers workload (inserts, customer updates after their orders,
// customer deletes, order FK changes and deletes), then a service process runs the
// stream-table join registered over REST and is killed with SIGKILL at ten random points
// of its work, its state directory deleted before every other restart. The output, read
// read_committed, must hold exactly one output per order change, equal to a crash-free
// reference join over the same topics and to the workload's own oracle.
//
// The capture runs to completion first, so that the join's input is fixed: the kill run
// and the reference then see the same records, and their outputs must match exactly.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { KafkaAdmin } from '../../../kafka/kafka-admin.ts'
import { testEnv } from '../../helpers/env.ts'
import type { ReadRecord } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
import {
  api,
  cdcBin,
  isolatedServiceEnv,
  startServiceProcess,
  type ServiceProcess,
} from '../../helpers/service-process.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { PgScope } from '../postgres/pg-fixture.ts'
import { readAllCommitted } from './join-fixtures.ts'
import type { OutputSummary } from './join-shop.ts'
import { expectedSummary, orderId, outputSummary, ShopWorkload } from './join-shop.ts'

const changes = 20_000
const kills = 10
const partitions = 3
const admin = new KafkaAdmin({ brokers: testEnv.kafkaBrokers, clientId: 'test-join-pg-kill' })
const running = new Set<ServiceProcess>()
const topics: string[] = []
const stateDirs: string[] = []

async function start(env: Record<string, string>): Promise<ServiceProcess> {
  const service = await startServiceProcess(cdcBin, env)
  running.add(service)
  void service.exited.then(() => running.delete(service))
  return service
}

async function stop(service: ServiceProcess, signal: NodeJS.Signals): Promise<void> {
  service.kill(signal)
  await service.exited
}

after(async () => {
  for (const service of running) service.kill('SIGKILL')
  await admin.deleteTopics(topics).catch(() => undefined)
  await admin.close()
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true })
})

async function sum(topic: string): Promise<number> {
  const ends = await admin.endOffsets(topic, partitions)
  return [...ends.values()].reduce((total, end) => total + Number(end), 0)
}

/** Waits until every stream change the join read is committed with its outputs. */
async function drained(service: ServiceProcess, name: string): Promise<void> {
  let last = ''
  await waitFor(
    `join ${name} to commit its whole stream`,
    async () => {
      const lag = await api<Record<string, unknown>>(service.url, 'GET', `/connectors/${name}/lag`)
      last = JSON.stringify(lag.body)
      return lag.status === 200 &&
        lag.body.stream_records_behind === 0 &&
        lag.body.stream_records_waiting === 0
        ? true
        : undefined
    },
    { timeoutMs: 120_000 },
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; last lag ${last}; logs ${service.logs.slice(-5).join('\n')}`)
  })
}

function joinConfig(
  name: string,
  input: { orders: string; customers: string },
  output: string,
  stateDir: string,
): Record<string, string> {
  return {
    name,
    'connector.class': 'stream-table-join',
    'stream.topic': input.orders,
    'table.topic': input.customers,
    'stream.foreign.key': 'customer_id',
    'output.topic': output,
    'output.format': 'json',
    'state.dir': stateDir,
  }
}

/** Per order: its outputs in output order (a tombstone as null). */
function byOrder(records: readonly ReadRecord[]): Map<number, (OutputSummary | null)[]> {
  const result = new Map<number, (OutputSummary | null)[]>()
  for (const record of records) {
    const id = orderId(record.key)
    const list = result.get(id) ?? []
    list.push(outputSummary(id, record.value))
    result.set(id, list)
  }
  return result
}

const lines = (records: readonly ReadRecord[]): string[] =>
  records
    .map((record) => `${record.key?.toString() ?? ''} => ${record.value?.toString() ?? 'null'}`)
    .sort()

describe('stream-table join on the Postgres connector, through the service', () => {
  it('killed with SIGKILL 10 times over a 20k-change workload, writes exactly one output per order change', async (t) => {
    const scope = await PgScope.create()
    // Even when an assertion fails: a leftover slot would pin WAL for every later test.
    t.after(() => scope.drop())
    const started = Date.now()
    const phase = (what: string) => {
      t.diagnostic(`${what} after ${Math.round((Date.now() - started) / 1000)} s`)
    }
    const prefix = uniqueName('jpk')
    const input = {
      customers: `${prefix}.${scope.schema}.customers`,
      orders: `${prefix}.${scope.schema}.orders`,
    }
    const output = uniqueName('jpk_out')
    const referenceOutput = uniqueName('jpk_ref')
    const captureEnv = isolatedServiceEnv()
    const joinEnv = { ...isolatedServiceEnv(), CDC_SESSION_TIMEOUT_MS: '6000' }
    topics.push(input.customers, input.orders, output, referenceOutput)
    topics.push(...Object.values(captureEnv), ...Object.values(joinEnv))
    const stateDir = mkdtempSync(join(tmpdir(), 'jpk-state-'))
    const referenceDir = mkdtempSync(join(tmpdir(), 'jpk-ref-'))
    stateDirs.push(stateDir, referenceDir)

    // 1. Capture: snapshot, then the workload streamed, until both topics hold all of it.
    const seed = Date.now() % 100_000
    t.diagnostic(`workload seed ${seed}`)
    const workload = new ShopWorkload(scope.schema, seed)
    await scope.admin.query(workload.setupSql(40, 40))
    const capture = await start(captureEnv)
    const connector = {
      ...scope.config({
        'topic.prefix': prefix,
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'topic.creation.default.partitions': String(partitions),
        'slot.drop.on.stop': 'true',
      }),
      name: scope.name,
    }
    const created = await api(capture.url, 'POST', '/connectors', {
      name: scope.name,
      config: connector,
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    for (const transaction of workload.transactions(changes, 20)) {
      await scope.admin.query(transaction.sql)
    }
    await waitFor(
      'the connector to capture the whole workload',
      async () =>
        (await admin.exists(input.orders)) &&
        (await admin.exists(input.customers)) &&
        (await sum(input.customers)) >= workload.customerRecords &&
        (await sum(input.orders)) >= workload.orderRecords
          ? true
          : undefined,
      { timeoutMs: 120_000 },
    )
    assert.equal(await sum(input.customers), workload.customerRecords)
    assert.equal(await sum(input.orders), workload.orderRecords)
    assert.equal((await api(capture.url, 'DELETE', `/connectors/${scope.name}`)).status, 204)
    await stop(capture, 'SIGTERM')
    phase(`captured ${workload.orderChanges.length} order changes`)

    // 2. The join, killed at random points of its work.
    const deletes = workload.orderChanges.filter((change) => change.op === 'd').length
    const total = workload.orderChanges.length + deletes
    const name = uniqueName('jpk_join')
    let service = await start(joinEnv)
    const registered = await api(service.url, 'POST', '/connectors', {
      name,
      config: joinConfig(name, input, output, stateDir),
    })
    assert.equal(registered.status, 201, JSON.stringify(registered.body))
    const killedAt: number[] = []
    for (let kill = 0; kill < kills; kill++) {
      // A random point of the work left, past at least one commit of this run: the kills
      // spread over the run. Offsets count transaction markers too, so they run ahead a bit.
      const done = (await admin.exists(output)) ? await sum(output) : 0
      const share = Math.max(2, Math.floor((total - done) / (kills - kill + 1)))
      const target = done + 1 + Math.floor(Math.random() * share * 1.5)
      await waitFor(
        `the join to pass ${target} outputs (round ${kill})`,
        async () =>
          (await admin.exists(output)) && (await sum(output)) >= target ? true : undefined,
        { timeoutMs: 90_000 },
      ).catch(async (error: unknown) => {
        const status = await api(service.url, 'GET', `/connectors/${name}/status`)
        throw new Error(
          `${String(error)}; status ${JSON.stringify(status.body)}; logs ${service.logs.slice(-5).join('\n')}`,
        )
      })
      await stop(service, 'SIGKILL')
      killedAt.push(await sum(output))
      // The state is lost before every other restart (rebuilt from the table topic).
      if (kill % 2 === 0) rmSync(stateDir, { recursive: true, force: true })
      service = await start(joinEnv)
    }
    phase(`killed at output offsets ${killedAt.join(', ')}`)
    await drained(service, name)
    phase('join finished')

    // 3. A crash-free reference over the same input, in the same service.
    const reference = await api(service.url, 'POST', '/connectors', {
      name: `${name}_ref`,
      config: joinConfig(`${name}_ref`, input, referenceOutput, referenceDir),
    })
    assert.equal(reference.status, 201, JSON.stringify(reference.body))
    await drained(service, `${name}_ref`)
    await stop(service, 'SIGTERM')
    phase('reference finished')

    const outputs = await readAllCommitted(output, partitions)
    const expected = await readAllCommitted(referenceOutput, partitions)
    assert.equal(outputs.length, total, 'exactly one output per order change (and tombstone)')
    assert.equal(expected.length, total)
    assert.deepEqual(lines(outputs), lines(expected), 'the same outputs as a crash-free run')

    // And what the database says: per order, its changes in commit order, each with the
    // customer as of that change's commit.
    const oracle = new Map<number, (OutputSummary | null)[]>()
    for (const change of workload.orderChanges) {
      const list = oracle.get(change.id) ?? []
      list.push(expectedSummary(change))
      if (change.op === 'd') list.push(null)
      oracle.set(change.id, list)
    }
    const actual = byOrder(outputs)
    for (const [id, list] of oracle) assert.deepEqual(actual.get(id), list, `order ${id}`)
    const statuses = new Map<string, number>()
    for (const change of workload.orderChanges) {
      const key = `${change.op}/${change.expected.status}${change.previousCustomerId === null ? '' : '/moved'}`
      statuses.set(key, (statuses.get(key) ?? 0) + 1)
    }
    t.diagnostic(`covered: ${JSON.stringify(Object.fromEntries(statuses))}`)
  })
})
