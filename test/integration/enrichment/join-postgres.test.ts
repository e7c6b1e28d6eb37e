// The join as users run it: `bin/cdc.ts` running the Postgres connector (Avro through the
// embedded registry) and a stream-table join registered over REST beside it, enriching
// orders with their customer live. The semantics of joins.md §6.4 on real change events
// (S1b, S1c, S2, S3, S4, S5, S8), Avro output read back with the standard registry client,
// and the join's lifecycle through the admin API: status, lag, metrics, pause/resume,
// restart and delete.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry'
import { KafkaAdmin } from '../../../kafka/kafka-admin.ts'
import { bigintLongType } from '../../helpers/avro-decode.ts'
import { testEnv } from '../../helpers/env.ts'
import type { ReadRecord } from '../../helpers/kafka-read.ts'
import { readUntil } from '../../helpers/kafka-read.ts'
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

const admin = new KafkaAdmin({ brokers: testEnv.kafkaBrokers, clientId: 'test-join-pg' })
const running = new Set<ServiceProcess>()
const topics: string[] = []
const stateDir = mkdtempSync(join(tmpdir(), 'jp-state-'))

after(async () => {
  for (const service of running) service.kill('SIGKILL')
  await admin.deleteTopics(topics).catch(() => undefined)
  await admin.close()
  rmSync(stateDir, { recursive: true, force: true })
})

interface Row {
  id: number
  customer_id?: number
  note?: string
  name?: string
}

interface Output {
  op: string
  stream: { before: Row | null; after: Row | null }
  table: Row | null
  tableRef: { status: string; synced: boolean; previousKey: { customer_id: number } | null }
  eventId: string
}

type Status = { connector: { state: string }; phase: string | null }

/** waitFor with room for a loaded machine (other suites share the two cores). */
const patiently = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> =>
  waitFor(what, probe, { timeoutMs: 60_000 })

describe('stream-table join beside the Postgres connector, in the service', () => {
  it('enriches orders live with the customer as of each change, and runs the lifecycle of a connector', async (t) => {
    const scope = await PgScope.create()
    t.after(() => scope.drop())
    const env = isolatedServiceEnv()
    const prefix = uniqueName('jp')
    const customersTopic = `${prefix}.${scope.schema}.customers`
    const ordersTopic = `${prefix}.${scope.schema}.orders`
    const output = uniqueName('jp_out')
    topics.push(...Object.values(env), customersTopic, ordersTopic, output)
    const customers = scope.table('customers')
    const orders = scope.table('orders')
    await scope.query(`create table ${customers} (id int primary key, name text not null)`)
    await scope.query(
      `create table ${orders} (id int primary key, customer_id int not null, note text not null)`,
    )
    // Deletes must carry customer_id (S5).
    await scope.query(`alter table ${orders} replica identity full`)
    // What the snapshot reads (S8).
    await scope.query(`insert into ${customers} values (1, 'Ada')`)
    await scope.query(`insert into ${orders} values (1, 1, 'first')`)

    const service = await startServiceProcess(cdcBin, env)
    running.add(service)
    t.after(async () => {
      service.kill('SIGTERM')
      await service.exited
    })
    const connector = await api(service.url, 'POST', '/connectors', {
      name: scope.name,
      config: {
        ...scope.config({
          'topic.prefix': prefix,
          'slot.drop.on.stop': 'true',
          'provide.transaction.metadata': 'true',
        }),
      },
    })
    assert.equal(connector.status, 201, JSON.stringify(connector.body))

    const name = uniqueName('jp_join')
    const config = {
      'connector.class': 'stream-table-join',
      'stream.topic': ordersTopic,
      'table.topic': customersTopic,
      'stream.foreign.key': 'customer_id',
      'output.topic': output,
      'output.format': 'avro',
      'schema.registry.url': service.registryUrl,
      // Strict mode: a change is released once its transaction's END and the customer
      // changes it counts are in; the watermark rule remains for what strict mode cannot
      // decide (the snapshot, transactions from before a restart).
      'transaction.topic': `${prefix}.transaction`,
      // Generous on a loaded machine: the customer of a change may reach the join later.
      'idle.grace.ms': '2000',
      'state.dir': stateDir,
    }
    const invalid = await api<{ message: string }>(service.url, 'POST', '/connectors', {
      name,
      config: { ...config, 'stream.foreign.key': '', 'join.type': 'outer' },
    })
    assert.equal(invalid.status, 400)
    assert.match(invalid.body.message, /stream\.foreign\.key/)
    assert.match(invalid.body.message, /join\.type/)
    // The join reads the connector's topics: the change topics exist once the snapshot is
    // written, the transaction topic once a transaction streamed.
    await waitFor(
      'the connector to stream',
      async () => {
        const status = await api<Status>(service.url, 'GET', `/connectors/${scope.name}/status`)
        return status.body.phase === 'streaming' ? true : undefined
      },
      { timeoutMs: 60_000 },
    )
    await scope.query(`insert into ${customers} values (2, 'Bo')`)
    const transactionTopic = `${prefix}.transaction`
    topics.push(transactionTopic)
    await patiently('the change topics', async () =>
      (await admin.exists(customersTopic)) &&
      (await admin.exists(ordersTopic)) &&
      (await admin.exists(transactionTopic))
        ? true
        : undefined,
    )
    const created = await api(service.url, 'POST', '/connectors', { name, config })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    await patiently('the join to stream', async () => {
      const status = await api<Status>(service.url, 'GET', `/connectors/${name}/status`)
      return status.body.connector.state === 'RUNNING' && status.body.phase === 'streaming'
        ? true
        : undefined
    })

    // Each statement its own transaction, except where noted.
    for (const sql of [
      `insert into ${orders} values (2, 2, 'second')`,
      // S2: a customer update after the order is seen by the order's next change only.
      `update ${customers} set name = 'Bo B.' where id = 2`,
      `update ${orders} set note = 'second, edited' where id = 2`,
      // S4: the order moves to another customer.
      `update ${orders} set customer_id = 2, note = 'moved' where id = 1`,
      // S1c: a customer created after the order that names it.
      `insert into ${orders} values (3, 3, 'early')`,
      `insert into ${customers} values (3, 'Cy')`,
      // S3: a customer deleted, then named by a new order.
      `delete from ${customers} where id = 1`,
      `insert into ${orders} values (4, 1, 'orphan')`,
      // S5: an order deleted (with its tombstone).
      `delete from ${orders} where id = 2`,
      // S1b: customer and order in one transaction, the order first.
      `begin; insert into ${orders} values (5, 4, 'same txn'); insert into ${customers} values (4, 'Di'); commit`,
    ]) {
      await scope.query(sql)
    }

    const registry = new SchemaRegistry(
      { host: service.registryUrl },
      { [SchemaType.AVRO]: { registry: { long: bigintLongType } } },
    )
    const describe = async (records: readonly ReadRecord[]): Promise<string[]> => {
      const lines: string[] = []
      // One at a time: the client builds a schema's type on first use.
      for (const record of records) {
        const key = (await registry.decode(record.key ?? Buffer.alloc(0))) as { id: number }
        if (record.value === null) {
          lines.push(`O${key.id} tombstone`)
          continue
        }
        const value = (await registry.decode(record.value)) as Output
        const row = value.op === 'd' ? value.stream.before : value.stream.after
        const moved = value.tableRef.previousKey
        lines.push(
          `O${key.id} ${value.op} ${row?.note ?? '?'} -> ${value.table?.name ?? 'null'} ${value.tableRef.status}` +
            (moved === null ? '' : ` (was C${moved.customer_id})`),
        )
      }
      return lines
    }
    const expected = [
      'O1 r first -> Ada found',
      'O2 c second -> Bo found',
      'O2 u second, edited -> Bo B. found',
      'O1 u moved -> Bo B. found (was C1)',
      'O3 c early -> null absent',
      'O4 c orphan -> null deleted',
      'O2 d second, edited -> Bo B. found',
      'O2 tombstone',
      'O5 c same txn -> Di found',
    ]
    const byOrder = (lines: readonly string[]): Map<string, string[]> => {
      const map = new Map<string, string[]>()
      for (const line of lines) {
        const id = line.split(' ')[0] ?? ''
        map.set(id, [...(map.get(id) ?? []), line])
      }
      return map
    }
    const first = await readUntil([output], (records) => records.length >= expected.length, 60_000)
    assert.deepEqual(byOrder(await describe(first)), byOrder(expected))

    // Lag and metrics: the stream side is drained, the table replica is complete.
    await patiently('the join lag to settle', async () => {
      const lag = await api<Record<string, unknown>>(service.url, 'GET', `/connectors/${name}/lag`)
      return lag.body.stream_records_behind === 0 &&
        lag.body.table_records_behind === 0 &&
        lag.body.table_bootstrapped === true
        ? true
        : undefined
    })
    const metrics = await (await fetch(`${service.url}/metrics`)).text()
    assert.match(
      metrics,
      new RegExp(`cdc_source_lag\\{connector="${name}",field="stream_records_behind"\\} 0`),
    )
    assert.match(metrics, new RegExp(`cdc_events_seen_total\\{connector="${name}"\\} [1-9]`))

    // Paused: orders wait in the stream topic (the lag shows them); resumed: they go out.
    assert.equal((await api(service.url, 'PUT', `/connectors/${name}/pause`)).status, 202)
    await patiently('PAUSED', async () => {
      const status = await api<Status>(service.url, 'GET', `/connectors/${name}/status`)
      return status.body.connector.state === 'PAUSED' ? true : undefined
    })
    await scope.query(`insert into ${orders} values (6, 3, 'while paused')`)
    await patiently('the paused join to fall behind', async () => {
      const lag = await api<Record<string, unknown>>(service.url, 'GET', `/connectors/${name}/lag`)
      return typeof lag.body.stream_records_behind === 'number' &&
        lag.body.stream_records_behind > 0
        ? true
        : undefined
    })
    assert.equal((await api(service.url, 'PUT', `/connectors/${name}/resume`)).status, 202)
    // A restart on top: nothing released twice.
    assert.equal((await api(service.url, 'POST', `/connectors/${name}/restart`)).status, 204)
    await scope.query(`update ${orders} set note = 'after restart' where id = 6`)
    const second = await readUntil(
      [output],
      (records) => records.length >= expected.length + 2,
      60_000,
    )
    const all = await describe(second)
    assert.deepEqual(
      byOrder(all),
      byOrder([...expected, 'O6 c while paused -> Cy found', 'O6 u after restart -> Cy found']),
    )
    await patiently('RUNNING again', async () => {
      const status = await api<Status>(service.url, 'GET', `/connectors/${name}/status`)
      return status.body.connector.state === 'RUNNING' ? true : undefined
    })

    assert.equal((await api(service.url, 'DELETE', `/connectors/${name}`)).status, 204)
    assert.equal((await api(service.url, 'GET', `/connectors/${name}/status`)).status, 404)
    // Its stream offsets went with it, as a deleted connector's positions do.
    const { partitions } = await admin.describeTopic(ordersTopic)
    const offsets = await admin.committedOffsets(`cdc-join-${name}`, ordersTopic, partitions)
    assert.deepEqual(
      [...offsets.values()].filter((offset) => offset !== null),
      [],
    )
    assert.equal((await api(service.url, 'DELETE', `/connectors/${scope.name}`)).status, 204)
  })
})
