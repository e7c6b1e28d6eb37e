// The stream-table join on real Kafka: a customers table topic (100k rows) and an orders
// stream topic (1M changes, with customer updates interleaved in commit order), written as
// the connectors write them (Avro through the registry, or JSON), then JoinWorker runs:
//
//   run      fresh state: rebuild the replica from the table topic, then join every order
//            change, exactly once (outputs and offsets in Kafka transactions), JSON output
//   rebuild  fresh state again: only the time until the replica caught up (nothing joined)
//   reopen   the state the run left: the time until streaming, without a rebuild
//
//   node bench/join.ts [--scale 0.01] [--format avro|json] [--registry embedded|apicurio]
//
// Each run is a child process of its own, so its peak RSS is its own.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sourceBlock } from '../connectors/postgres/source-info.ts'
import type { RowChangeEvent } from '../envelope/change-event.ts'
import { buildChangeRecords } from '../envelope/debezium-envelope.ts'
import type { StructValue } from '../envelope/connect-schema.ts'
import { connectDecimal } from '../envelope/semantic-types.ts'
import { Decimal } from '../envelope/connect-schema.ts'
import type { TableSchema } from '../envelope/table-schema.ts'
import { parseJoinConfig } from '../enrichment/join-config.ts'
import { defaultJoinGroupId, JoinWorker } from '../enrichment/join-worker.ts'
import type { RecordEncoder } from '../kafka/kafka-change-sink.ts'
import { KafkaClient } from '../kafka/kafka-client.ts'
import type { OutgoingRecord } from '../kafka/kafka-producer.ts'
import { AvroRecordEncoder, JsonRecordEncoder } from '../kafka/record-encoders.ts'
import { ConfluentRegistryClient } from '../registry/client/confluent-registry-client.ts'
import { benchEnv } from './lib/env.ts'
import {
  benchArgs,
  mib,
  nowMs,
  peakRss,
  printSummary,
  printTable,
  rate,
  round,
  scaled,
  thousands,
  uniqueName,
} from './lib/measure.ts'
import {
  deleteApicurioSubjects,
  deleteTopics,
  registryKind,
  startRegistry,
} from './lib/pipeline.ts'
import { BenchChild, hideTimeoutNegativeWarnings, toParent } from './lib/processes.ts'

const fullCustomers = 100_000
const fullOrderChanges = 1_000_000
/** One customer update per this many order changes, in commit order between them. */
const customerUpdateEvery = 10
const partitions = 3
const writeBatch = 5_000

const runKinds = ['run', 'rebuild', 'reopen'] as const
type RunKind = (typeof runKinds)[number]

interface RunResult {
  type: 'result'
  kind: RunKind
  /** From run() to the replica reaching the table's end offsets (phase 'streaming'). */
  bootstrapMs: number
  /** From the first stream record read to every one committed with its output (run only). */
  streamMs: number | null
  streamChanges: number
  transactions: number
  peakRss: number | null
}

const script = fileURLToPath(import.meta.url)
const args = benchArgs(['format', 'registry', 'prefix', 'state', 'registry-url'])

function topicsOf(prefix: string) {
  return {
    customers: `${prefix}.public.customers`,
    orders: `${prefix}.public.orders`,
    output: `${prefix}.enriched_orders`,
  }
}

/** The rebuild and reopen runs stop once streaming, but may join a few changes first. */
function outputTopic(topics: { output: string }, kind: RunKind): string {
  return kind === 'run' ? topics.output : `${topics.output}_${kind}`
}

function tables(prefix: string): { customers: TableSchema; orders: TableSchema } {
  const { customers, orders } = topicsOf(prefix)
  const column = (name: string, type: 'int64' | 'string', optional: boolean) => ({
    name,
    schema: { type, optional },
    sourceType: type === 'int64' ? 'bigint' : 'text',
  })
  const id = column('id', 'int64', false)
  return {
    customers: {
      id: { database: 'bench', schema: 'public', table: 'customers' },
      topic: customers,
      columns: [
        id,
        column('name', 'string', false),
        column('tier', 'string', false),
        column('email', 'string', true),
      ],
      keyColumns: ['id'],
    },
    orders: {
      id: { database: 'bench', schema: 'public', table: 'orders' },
      topic: orders,
      columns: [
        id,
        column('customer_id', 'int64', false),
        column('status', 'string', false),
        { name: 'total', schema: connectDecimal(2, 10), sourceType: 'numeric(10,2)' },
      ],
      keyColumns: ['id'],
    },
  }
}

/** Change `p` of the database, its own transaction, at a Postgres position after p - 1. */
function event(
  table: TableSchema,
  op: 'c' | 'u',
  before: StructValue | null,
  after: StructValue,
  p: number,
): RowChangeEvent {
  const lsn = 0x1000_0000n + BigInt(p) * 100n
  return {
    kind: 'row',
    op,
    table,
    before,
    after,
    source: sourceBlock({
      version: '0.1.0',
      name: 'bench',
      db: 'bench',
      timeUs: BigInt(Date.now()) * 1000n,
      snapshot: 'false',
      lastCommitLsn: lsn - 100n,
      lsn,
      txId: 1000 + p,
      schema: 'public',
      table: table.id.table,
    }),
    tsMs: Date.now(),
  }
}

const customer = (id: number, version: number): StructValue => ({
  id: BigInt(id),
  name: `customer ${id} v${version}`,
  tier: version % 3 === 0 ? 'gold' : 'standard',
  email: id % 2 === 0 ? null : `c${id}@example.com`,
})

const order = (id: number, customerId: number, status: string): StructValue => ({
  id: BigInt(id),
  customer_id: BigInt(customerId),
  status,
  total: new Decimal(BigInt((id * 7919) % 1_000_000), 2),
})

/** Writes the input topics; returns how many records went to each. */
async function writeInputs(
  kafka: KafkaClient,
  prefix: string,
  encoder: RecordEncoder,
  customers: number,
  orderChanges: number,
): Promise<{ tableRecords: number; ms: number }> {
  const { customers: customersTable, orders: ordersTable } = tables(prefix)
  const producer = kafka.producer()
  const started = nowMs()
  let batch: OutgoingRecord[] = []
  let tableRecords = 0
  const add = async (change: RowChangeEvent): Promise<void> => {
    for (const record of buildChangeRecords(change)) {
      const encoded = await encoder.encode(record)
      batch.push({ topic: record.topic, key: encoded.key, value: encoded.value })
    }
    if (batch.length >= writeBatch) {
      await producer.send(batch)
      batch = []
    }
  }
  let p = 0
  const versions = new Map<number, number>()
  try {
    for (let id = 1; id <= customers; id++) {
      await add(event(customersTable, 'c', null, customer(id, 1), ++p))
      versions.set(id, 1)
      tableRecords++
    }
    let orders = 0
    let random = 12345
    const next = (n: number): number => {
      random = (Math.imul(random, 1664525) + 1013904223) >>> 0
      return random % n
    }
    for (let i = 0; i < orderChanges; i++) {
      if (i % customerUpdateEvery === 0) {
        const id = 1 + next(customers)
        const version = (versions.get(id) ?? 1) + 1
        versions.set(id, version)
        await add(event(customersTable, 'u', customer(id, version - 1), customer(id, version), ++p))
        tableRecords++
      }
      const customerId = 1 + next(customers)
      if (orders < 100 || next(10) < 7) {
        orders++
        await add(event(ordersTable, 'c', null, order(orders, customerId, 'new'), ++p))
      } else {
        // An update, a third of them moving the order to another customer.
        const id = 1 + next(orders)
        const moved = next(3) === 0 ? customerId : 1 + (id % customers)
        await add(
          event(
            ordersTable,
            'u',
            order(id, 1 + (id % customers), 'new'),
            order(id, moved, 'shipped'),
            ++p,
          ),
        )
      }
      if (i > 0 && i % 200_000 === 0) console.log(`  written ${thousands(i)} order changes`)
    }
    if (batch.length > 0) await producer.send(batch)
  } finally {
    await producer.close()
  }
  return { tableRecords, ms: nowMs() - started }
}

async function main(): Promise<void> {
  const format = args.values.format ?? 'avro'
  if (format !== 'avro' && format !== 'json') throw new Error('--format must be avro or json')
  const registry = registryKind(args.values.registry)
  const customers = scaled(fullCustomers, args.scale, 100)
  const orderChanges = scaled(fullOrderChanges, args.scale, 1000)
  const prefix = uniqueName('bench_join')
  const topics = topicsOf(prefix)
  const kafka = new KafkaClient({ brokers: benchEnv.kafkaBrokers, clientId: 'bench-join' })
  const schemas = `${prefix}_schemas`
  const stateDirs: string[] = []
  const groups: string[] = []
  const started = await startRegistry(registry, kafka, schemas)
  console.log(
    `join bench: ${thousands(customers)} customers, ${thousands(orderChanges)} order changes (a customer update every ${customerUpdateEvery}), ${format} inputs, ${partitions} partitions per topic`,
  )
  const results: RunResult[] = []
  const written = { tableRecords: 0, ms: 0 }
  try {
    for (const topic of [topics.customers, topics.orders]) {
      await kafka.admin.ensureTopic({
        name: topic,
        partitions,
        replicationFactor: 1,
        configs: { 'cleanup.policy': 'compact' },
      })
    }
    const encoder =
      format === 'avro'
        ? new AvroRecordEncoder(started.client)
        : new JsonRecordEncoder({ keySchemasEnable: true, valueSchemasEnable: true })
    Object.assign(written, await writeInputs(kafka, prefix, encoder, customers, orderChanges))
    console.log(
      `  inputs written in ${round(written.ms / 1000)} s (${thousands(rate(written.tableRecords + orderChanges, written.ms))} records/s)`,
    )
    const runState = mkdtempSync(join(tmpdir(), 'bench-join-'))
    stateDirs.push(runState)
    for (const kind of runKinds) {
      const state = kind === 'reopen' ? runState : mkdtempSync(join(tmpdir(), 'bench-join-'))
      if (kind === 'rebuild') stateDirs.push(state)
      groups.push(`cdc-join-${prefix}-${kind}`)
      const child = new BenchChild<RunResult>(script, [
        '--child',
        kind,
        '--prefix',
        prefix,
        '--state',
        state,
        '--registry-url',
        started.url,
        '--scale',
        String(args.scale),
      ])
      try {
        const result = await child.next('result')
        results.push(result)
        console.log(
          `  ${kind}: bootstrap ${round(result.bootstrapMs / 1000, 2)} s` +
            (result.streamMs === null
              ? ''
              : `, ${thousands(rate(result.streamChanges, result.streamMs))} stream changes/s`) +
            `, peak RSS ${mib(result.peakRss)}`,
        )
      } finally {
        await child.exited
      }
    }
  } finally {
    const outputs = runKinds.map((kind) => outputTopic(topics, kind))
    await deleteTopics(kafka, [topics.customers, topics.orders, ...outputs, schemas])
    await kafka.admin.deleteGroups(groups).catch(() => undefined)
    if (registry === 'apicurio') {
      await deleteApicurioSubjects([topics.customers, topics.orders])
    }
    await started.close()
    await kafka.close()
    for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true })
  }
  const tableRecords = written.tableRecords
  printTable(
    `JoinWorker, ${thousands(customers)} table rows (${thousands(tableRecords)} table records), ${thousands(orderChanges)} stream changes, ${format} in, JSON out`,
    ['run', 'bootstrap s', 'table records/s', 'stream changes/s', 'transactions', 'peak RSS'],
    results.map((result) => [
      result.kind,
      String(round(result.bootstrapMs / 1000, 2)),
      result.kind === 'reopen' ? '-' : thousands(rate(tableRecords, result.bootstrapMs)),
      result.streamMs === null ? '-' : thousands(rate(result.streamChanges, result.streamMs)),
      result.kind === 'run' ? thousands(result.transactions) : '-',
      mib(result.peakRss),
    ]),
  )
  printSummary('join', args.scale, {
    format,
    customers,
    tableRecords,
    orderChanges,
    inputsWrittenMs: round(written.ms),
    runs: results.map(({ type: _type, ...rest }) => rest),
  })
}

/** In a child: one JoinWorker run of the given kind. */
async function child(kind: RunKind): Promise<void> {
  hideTimeoutNegativeWarnings()
  const prefix = args.values.prefix ?? ''
  const stateDir = args.values.state ?? ''
  const topics = topicsOf(prefix)
  const orderChanges = scaled(fullOrderChanges, args.scale, 1000)
  const config = parseJoinConfig({
    name: `${prefix}-${kind}`,
    'connector.class': 'stream-table-join',
    'stream.topic': topics.orders,
    'table.topic': topics.customers,
    'stream.foreign.key': 'customer_id',
    'output.topic': outputTopic(topics, kind),
    'state.dir': stateDir,
  })
  const kafka = new KafkaClient({ brokers: benchEnv.kafkaBrokers, clientId: `bench-join-${kind}` })
  const controller = new AbortController()
  // Set from the monitor callback.
  const timing: { streamingAt: number | null; firstSeenAt: number | null } = {
    streamingAt: null,
    firstSeenAt: null,
  }
  let transactions = 0
  const worker = new JoinWorker({
    config,
    kafka: kafka.settings,
    registry: new ConfluentRegistryClient({ url: args.values['registry-url'] ?? '' }),
    monitor: {
      phase: (phase) => {
        if (phase === 'streaming' && timing.streamingAt === null) {
          timing.streamingAt = nowMs()
          if (kind !== 'run') controller.abort()
        }
      },
      eventsSeen: () => {
        timing.firstSeenAt ??= nowMs()
      },
    },
    onCommit: () => {
      transactions++
    },
  })
  const started = nowMs()
  const running = worker.run(controller.signal)
  let doneAt: number | null = null
  try {
    if (kind === 'run') {
      const groupId = defaultJoinGroupId(config)
      const ends = await kafka.admin.endOffsets(topics.orders, partitions)
      for (;;) {
        const committed = await kafka.admin.committedOffsets(groupId, topics.orders, partitions)
        if ([...ends].every(([partition, end]) => committed.get(partition) === end)) break
        await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 100))])
      }
      doneAt = nowMs()
      controller.abort()
    }
    await running
  } finally {
    controller.abort()
    await running.catch(() => undefined)
    await kafka.close()
  }
  const streamingAt = timing.streamingAt ?? nowMs()
  const result: RunResult = {
    type: 'result',
    kind,
    bootstrapMs: streamingAt - started,
    // From the first stream record: joining the group (its initial rebalance delay) is not
    // join work.
    streamMs: doneAt === null ? null : doneAt - (timing.firstSeenAt ?? streamingAt),
    streamChanges: kind === 'run' ? orderChanges : 0,
    transactions,
    peakRss: peakRss(),
  }
  await toParent(result)
}

if (args.child === undefined) {
  await main()
} else {
  if (!(runKinds as readonly string[]).includes(args.child))
    throw new Error(`unknown ${args.child}`)
  await child(args.child as RunKind)
}
