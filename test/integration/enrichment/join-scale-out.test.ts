// Scale-out: two service instances run the same join (registered once over REST), share
// its stream partitions through the join's consumer group and keep a table replica each.
// One is killed with SIGKILL while orders keep coming; the other takes over its
// partitions (after the dead one's open transaction, if any, ended: stable offset fetch),
// and the output read read_committed holds exactly one output per order change, equal to
// a crash-free single-worker run over the same topics (joins.md §6.4 S6c).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs'
import type { RowChangeEvent } from '../../../envelope/change-event.ts'
import { JoinWorker } from '../../../enrichment/join-worker.ts'
import { KafkaAdmin } from '../../../kafka/kafka-admin.ts'
import { KafkaProducer } from '../../../kafka/kafka-producer.ts'
import type { KafkaSettings } from '../../../kafka/kafka-settings.ts'
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
import type { JoinTopics } from './join-fixtures.ts'
import {
  change,
  customerRow,
  customersOf,
  joinConfig,
  joinTopics,
  orderRow,
  ordersOf,
  readAllCommitted,
  writeEvents,
} from './join-fixtures.ts'

const settings: KafkaSettings = { brokers: testEnv.kafkaBrokers, clientId: 'test-join-scale' }
const streamPartitions = 4
const admin = new KafkaAdmin(settings)
const kafkajs = new Kafka({ brokers: [...testEnv.kafkaBrokers], logLevel: logLevel.NOTHING })
const running = new Set<ServiceProcess>()
const cleanup: { topics: string[]; groups: string[]; dirs: string[] } = {
  topics: [],
  groups: [],
  dirs: [],
}

after(async () => {
  for (const service of running) service.kill('SIGKILL')
  await admin.deleteTopics(cleanup.topics).catch(() => undefined)
  await admin.deleteGroups(cleanup.groups).catch(() => undefined)
  await admin.close()
  for (const dir of cleanup.dirs) rmSync(dir, { recursive: true, force: true })
})

/** Customers first, then order changes in batches: new orders, updates, FK changes. */
class Workload {
  readonly #topics: JoinTopics
  #pos = 100
  #orders = 0
  #seed = 4242
  changes = 0

  constructor(topics: JoinTopics) {
    this.#topics = topics
  }

  random(n: number): number {
    this.#seed = (Math.imul(this.#seed, 1664525) + 1013904223) >>> 0
    return this.#seed % n
  }

  customers(count: number): RowChangeEvent[] {
    const table = customersOf(this.#topics)
    return Array.from({ length: count }, (_, i) =>
      change(table, 'c', null, customerRow(i + 1, `customer ${i + 1}`), this.#pos++),
    )
  }

  orders(count: number): RowChangeEvent[] {
    const table = ordersOf(this.#topics)
    const events: RowChangeEvent[] = []
    for (let i = 0; i < count; i++) {
      const fk = 1 + this.random(120)
      if (this.#orders < 10 || this.random(3) > 0) {
        const id = ++this.#orders
        events.push(change(table, 'c', null, orderRow(id, fk), this.#pos++))
      } else {
        const id = 1 + this.random(this.#orders)
        const note = `o${id}-${this.#pos}`
        events.push(change(table, 'u', orderRow(id, 1), orderRow(id, fk, note), this.#pos++))
      }
    }
    this.changes += count
    return events
  }
}

/** The join group's members and their stream partitions. */
async function members(groupId: string, topic: string): Promise<number[][]> {
  const client = kafkajs.admin()
  await client.connect()
  try {
    const { groups } = await client.describeGroups([groupId])
    const group = groups[0]
    if (group?.state !== 'Stable') return []
    return group.members.map(
      (member) =>
        AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment[topic] ?? [],
    )
  } finally {
    await client.disconnect()
  }
}

async function outputCount(topic: string): Promise<number> {
  if (!(await admin.exists(topic))) return 0
  const ends = await admin.endOffsets(topic, streamPartitions)
  return [...ends.values()].reduce((sum, end) => sum + Number(end), 0)
}

const lines = (records: readonly ReadRecord[]): string[] =>
  records
    .map((record) => `${record.key?.toString() ?? ''} => ${record.value?.toString() ?? 'null'}`)
    .sort()

describe('stream-table join on two service instances', () => {
  it('shares the stream partitions; when one instance is killed the other takes over, exactly once', async (t) => {
    const topics = joinTopics('jso')
    const referenceOutput = uniqueName('jso_ref')
    const env = { ...isolatedServiceEnv(), CDC_SESSION_TIMEOUT_MS: '6000' }
    const dirs = [topics.stateDir, mkdtempSync(join(tmpdir(), 'jso-state-'))]
    const referenceDir = mkdtempSync(join(tmpdir(), 'jso-ref-'))
    cleanup.dirs.push(...dirs, referenceDir)
    cleanup.topics.push(topics.customers, topics.orders, topics.output, referenceOutput)
    cleanup.topics.push(...Object.values(env))
    await admin.ensureTopic({ name: topics.customers, partitions: 2, replicationFactor: 1 })
    await admin.ensureTopic({
      name: topics.orders,
      partitions: streamPartitions,
      replicationFactor: 1,
    })
    const producer = new KafkaProducer(settings)
    t.after(() => producer.close())
    const workload = new Workload(topics)
    await writeEvents(producer, [...workload.customers(100), ...workload.orders(1000)])

    // Each instance keeps its replica in its own directory, named by its environment.
    const start = async (index: number): Promise<ServiceProcess> => {
      const service = await startServiceProcess(cdcBin, {
        ...env,
        CDC_TEST_JOIN_STATE: dirs[index] ?? '',
      })
      running.add(service)
      void service.exited.then(() => running.delete(service))
      return service
    }
    const [first, second] = [await start(0), await start(1)]
    const name = uniqueName('jso_join')
    const groupId = `cdc-join-${name}`
    cleanup.groups.push(groupId)
    const config = joinConfig(topics)
    const created = await api(first.url, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'stream-table-join',
        'stream.topic': topics.orders,
        'table.topic': topics.customers,
        'stream.foreign.key': 'customer_id',
        'output.topic': topics.output,
        'table.history.retention.ms': String(config.historyRetentionMs),
        'state.dir': '${env:CDC_TEST_JOIN_STATE}',
      },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    await waitFor(
      'both instances to hold stream partitions',
      async () => {
        const assignment = await members(groupId, topics.orders)
        return assignment.length === 2 && assignment.every((partitions) => partitions.length > 0)
          ? true
          : undefined
      },
      { timeoutMs: 60_000 },
    )

    // Orders keep coming while one instance dies.
    const writing = (async () => {
      for (let batch = 0; batch < 30; batch++) {
        await writeEvents(producer, workload.orders(100))
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    })()
    await waitFor(
      'outputs of the new orders',
      async () => ((await outputCount(topics.output)) > 1500 ? true : undefined),
      { timeoutMs: 60_000 },
    )
    first.kill('SIGKILL')
    await first.exited
    await writing
    await waitFor(
      'the survivor to hold every stream partition',
      async () => {
        const assignment = await members(groupId, topics.orders)
        return assignment.length === 1 && assignment[0]?.length === streamPartitions
          ? true
          : undefined
      },
      { timeoutMs: 60_000 },
    )
    await waitFor(
      'the survivor to commit the whole stream',
      async () => {
        const lag = await api<Record<string, unknown>>(second.url, 'GET', `/connectors/${name}/lag`)
        return lag.body.stream_records_behind === 0 && lag.body.stream_records_waiting === 0
          ? true
          : undefined
      },
      { timeoutMs: 90_000 },
    )
    second.kill('SIGTERM')
    await second.exited

    // The reference: one worker, never interrupted, over the same topics.
    const referenceConfig = { ...config, name: uniqueName('jso_ref'), outputTopic: referenceOutput }
    cleanup.groups.push(`cdc-join-${referenceConfig.name}`)
    const controller = new AbortController()
    const worker = new JoinWorker({
      config: { ...referenceConfig, stateDir: referenceDir },
      kafka: { ...settings, clientId: 'test-join-scale-ref' },
    })
    const reference = worker.run(controller.signal)
    reference.catch(() => undefined)
    try {
      await waitFor(
        'the reference to commit the whole stream',
        async () => {
          const ends = await admin.endOffsets(topics.orders, streamPartitions)
          const committed = await admin.committedOffsets(
            `cdc-join-${referenceConfig.name}`,
            topics.orders,
            streamPartitions,
          )
          return [...ends].every(([partition, end]) => committed.get(partition) === end)
            ? true
            : undefined
        },
        { timeoutMs: 90_000 },
      )
    } finally {
      controller.abort()
      await reference
    }
    const outputs = await readAllCommitted(topics.output, streamPartitions)
    const expected = await readAllCommitted(referenceOutput, streamPartitions)
    assert.equal(expected.length, workload.changes)
    assert.equal(outputs.length, workload.changes, 'exactly one output per order change')
    assert.deepEqual(lines(outputs), lines(expected))
  })
})
