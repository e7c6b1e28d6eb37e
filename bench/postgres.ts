// The PostgreSQL connector end to end on the real servers, beside raw baselines:
//   (a) snapshot of a 1M-row table (connector, Avro into Kafka) vs COPY TO STDOUT through pg
//   (b) streaming of 200k changes (inserts/updates/deletes, transactions of 100) read from a
//       backlog, vs pg_recvlogical (pgoutput, same publication) over the same WAL range
//   (c) latency source commit -> Kafka at a steady 2k changes/s
//   (d) peak RSS of the connector while it streams one 1M-row transaction
//
//   node bench/postgres.ts [--scale 0.01]
//
// Every connector run is a child process of its own (driving postgresConnectorPlugin with
// the sink the service builds, service/sink-factory.ts), so each peak RSS is its own.
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { Kafka, logLevel } from 'kafkajs'
import pg from 'pg'
import type { ConnectorConfig } from '../connectors/plugin.ts'
import { postgresConnectorPlugin } from '../connectors/postgres/postgres-plugin.ts'
import { KafkaClient } from '../kafka/kafka-client.ts'
import {
  runConnectorChild,
  type ConnectorChildMessage,
  type ConnectorChildSpec,
  type ConnectorResultMessage,
} from './lib/connector-child.ts'
import { benchEnv } from './lib/env.ts'
import {
  benchArgs,
  epochMicros,
  mib,
  nowMs,
  percentiles,
  printSummary,
  printTable,
  rate,
  round,
  scaled,
  thousands,
  uniqueName,
  type Percentiles,
} from './lib/measure.ts'
import { CopyToCounter } from './lib/pg-copy.ts'
import { deleteTopics, waitUntil } from './lib/pipeline.ts'
import { BenchChild, hideTimeoutNegativeWarnings, runTool, type ToolRun } from './lib/processes.ts'

const full = {
  snapshotRows: 1_000_000,
  streamChanges: 200_000,
  latencySeconds: 30,
  latencyRate: 2_000,
  bigTransactionRows: 1_000_000,
}
const transactionSize = 100

const script = fileURLToPath(import.meta.url)
const args = benchArgs(['spec'])

interface Names {
  base: string
  schema: string
  offsets: string
  schemas: string
  group: string
  slots: string[]
  publications: string[]
  topics: string[]
}

function namesFor(base: string): Names {
  const tables = ['snap', 'chg', 'lat', 'big']
  return {
    base,
    schema: base,
    offsets: `${base}_offsets`,
    schemas: `${base}_schemas`,
    group: `${base}_latency`,
    slots: ['snap', 'stream', 'stream_raw', 'big', 'big_raw'].map((s) => `${base}_${s}`),
    publications: ['snap', 'stream', 'big'].map((p) => `${base}_${p}`),
    topics: [
      ...tables.map((table) => `${base}.${base}.${table}`),
      `${base}_offsets`,
      `${base}_schemas`,
    ],
  }
}

const createTable = (qualified: string) => `create table ${qualified} (
  id integer primary key,
  i64 bigint not null,
  amount numeric(12,2) not null,
  name varchar(40) not null,
  flag boolean not null,
  ts timestamp not null,
  score double precision not null,
  doc jsonb not null,
  note text,
  day date not null
)`

/** Rows `from`..`to` (SQL expressions) of the bench table; `i64` may be another expression. */
const rowsSql = (from: string, to: string, i64 = 'g::bigint * 1000003') =>
  `select g, ${i64}, ((g::bigint * 7919) % 10000000000) / 100.0,
     'customer ' || lpad(g::text, 10, '0') || ' abcdefghijk', g % 2 = 0,
     timestamp '2023-11-14 22:13:20' + g * interval '1 millisecond', g * 0.731,
     jsonb_build_object('k', g, 'tags', jsonb_build_array('a', 'b'), 'ok', true),
     case when g % 2 = 0 then null else 'note ' || g end, date '2022-01-08' + (g % 1000)
   from generate_series(${from}, ${to}) g`

const commitMicros = `(extract(epoch from clock_timestamp()) * 1000000)::bigint`

function connectorConfig(
  names: Names,
  name: string,
  extra: Record<string, string>,
): ConnectorConfig {
  return {
    'connector.class': 'postgres',
    name,
    'database.hostname': benchEnv.postgres.host,
    'database.port': String(benchEnv.postgres.port),
    'database.user': benchEnv.postgres.user,
    'database.dbname': benchEnv.postgres.database,
    'database.sslmode': 'disable',
    'topic.prefix': names.base,
    'schema.include.list': names.schema,
    ...extra,
  }
}

function childSpec(
  names: Names,
  name: string,
  config: ConnectorConfig,
  rest: Pick<ConnectorChildSpec, 'countTable' | 'expected' | 'untilStopped' | 'latencyTable'>,
): ConnectorChildSpec {
  return { name, config, offsetsTopic: names.offsets, schemasTopic: names.schemas, ...rest }
}

function startChild(spec: ConnectorChildSpec): BenchChild<ConnectorChildMessage> {
  return new BenchChild<ConnectorChildMessage>(script, [
    '--child',
    'connector',
    '--spec',
    JSON.stringify(spec),
  ])
}

interface Figures {
  snapshot?: {
    rows: number
    loadMs: number
    copy: { ms: number; rowsPerSec: number; mbPerSec: number }
    connector: ConnectorResultMessage & { rowsPerSec: number }
  }
  streaming?: {
    changes: number
    generateMs: number
    walBytes: number
    recvlogical: ToolRun & { eventsPerSec: number }
    connector: { ms: number; msFromFirstEvent: number; eventsPerSec: number }
  }
  latency?: {
    seconds: number
    targetRate: number
    achievedRate: number
    lateTicks: number
    consumer: Percentiles
    sinkCommit: Percentiles
    streamPeakRss: number | null
    streamRssAtStreaming: number | null
  }
  bigTransaction?: {
    rows: number
    insertMs: number
    walBytes: number
    recvlogical: ToolRun & { eventsPerSec: number }
    connector: ConnectorResultMessage & { eventsPerSec: number }
  }
}

async function main(): Promise<void> {
  const scale = args.scale
  const sizes = {
    snapshotRows: scaled(full.snapshotRows, scale, 1_000),
    streamTransactions: scaled(full.streamChanges / transactionSize, scale, 10),
    latencySeconds: Math.max(5, Math.round(full.latencySeconds * scale)),
    bigTransactionRows: scaled(full.bigTransactionRows, scale, 1_000),
  }
  const names = namesFor(uniqueName('bench_pg'))
  console.log(
    `postgres bench ${names.base}: snapshot ${thousands(sizes.snapshotRows)} rows, streaming ${thousands(sizes.streamTransactions * transactionSize)} changes, latency ${sizes.latencySeconds} s at ${full.latencyRate}/s, one transaction of ${thousands(sizes.bigTransactionRows)} rows`,
  )
  const admin = new pg.Client({ ...benchEnv.postgres, application_name: 'cdc-bench' })
  await admin.connect()
  const kafka = new KafkaClient({ brokers: benchEnv.kafkaBrokers, clientId: 'bench-pg' })
  const figures: Figures = {}
  let cleaned = false
  const cleanup = async () => {
    if (cleaned) return
    cleaned = true
    await dropPgObjects(admin, names).catch((error: unknown) => {
      console.error(`clean-up in PostgreSQL failed: ${(error as Error).message}`)
    })
    await admin.end().catch(() => undefined)
    await deleteTopics(kafka, names.topics)
    await kafka.close()
  }
  const interrupted = () => {
    console.error('interrupted: cleaning up')
    void cleanup().finally(() => process.exit(130))
  }
  process.once('SIGINT', interrupted)
  process.once('SIGTERM', interrupted)
  try {
    await admin.query(`create schema ${names.schema}`)
    figures.snapshot = await snapshotBench(admin, names, sizes.snapshotRows)
    const stream = await streamingBench(admin, kafka, names, sizes)
    figures.streaming = stream.streaming
    figures.latency = stream.latency
    figures.bigTransaction = await bigTransactionBench(admin, names, sizes.bigTransactionRows)
  } finally {
    await cleanup()
  }
  report(figures)
  printSummary('postgres', scale, figures)
}

async function snapshotBench(admin: pg.Client, names: Names, rows: number) {
  const table = `${names.schema}.snap`
  await admin.query(createTable(table))
  let started = nowMs()
  await admin.query(`insert into ${table} ${rowsSql('1', String(rows))}`)
  await admin.query(`vacuum (analyze) ${table}`)
  const loadMs = nowMs() - started
  console.log(`(a) loaded ${thousands(rows)} rows in ${round(loadMs / 1000)} s`)

  const copyClient = new pg.Client(benchEnv.postgres)
  await copyClient.connect()
  const copy = new CopyToCounter(`COPY ${table} TO STDOUT`)
  started = nowMs()
  copyClient.query(copy)
  await copy.done
  const copyMs = nowMs() - started
  await copyClient.end()
  console.log(`(a) COPY TO STDOUT: ${thousands(copy.rows)} rows in ${round(copyMs)} ms`)

  const name = `${names.base}_snap`
  const config = connectorConfig(names, name, {
    'table.include.list': table,
    'snapshot.mode': 'initial_only',
    'slot.name': `${names.base}_snap`,
    'publication.name': `${names.base}_snap`,
    'publication.autocreate.mode': 'filtered',
  })
  const child = startChild(
    childSpec(names, name, config, { countTable: 'snap', expected: rows, untilStopped: false }),
  )
  const result = await child.next('result')
  await child.close()
  console.log(
    `(a) connector snapshot: ${thousands(result.committedEvents)} rows in ${round(result.ms)} ms`,
  )
  return {
    rows,
    loadMs: round(loadMs, 0),
    copy: {
      ms: round(copyMs, 0),
      rowsPerSec: round(rate(copy.rows, copyMs), 0),
      mbPerSec: round(rate(copy.bytes, copyMs) / 1e6, 1),
    },
    connector: { ...result, rowsPerSec: round(rate(result.committedEvents, result.ms), 0) },
  }
}

async function currentLsn(admin: pg.Client): Promise<string> {
  const { rows } = await admin.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')
  return rows[0]?.lsn ?? '0/0'
}

async function walBytes(admin: pg.Client, from: string, to: string): Promise<number> {
  const { rows } = await admin.query<{ bytes: string }>(
    'select pg_wal_lsn_diff($2::pg_lsn, $1::pg_lsn)::bigint::text as bytes',
    [from, to],
  )
  return Number(rows[0]?.bytes ?? 0)
}

/** pg_recvlogical with pgoutput (the connector's plugin and options) from a slot to `endLsn`. */
function recvlogical(slot: string, publication: string, endLsn: string): Promise<ToolRun> {
  const { host, port, user, database } = benchEnv.postgres
  return runTool('pg_recvlogical', [
    `--host=${host}`,
    `--port=${port}`,
    `--username=${user}`,
    `--dbname=${database}`,
    `--slot=${slot}`,
    '--start',
    `--endpos=${endLsn}`,
    '--no-loop',
    '--option=proto_version=1',
    `--option=publication_names=${publication}`,
    '--option=messages=true',
    '--file=-',
  ])
}

async function streamingBench(
  admin: pg.Client,
  kafka: KafkaClient,
  names: Names,
  sizes: { streamTransactions: number; latencySeconds: number },
): Promise<Pick<Figures, 'streaming' | 'latency'>> {
  const chg = `${names.schema}.chg`
  const lat = `${names.schema}.lat`
  const publication = `${names.base}_stream`
  const slot = `${names.base}_stream`
  const rawSlot = `${names.base}_stream_raw`
  await admin.query(createTable(chg))
  await admin.query(createTable(lat))
  // The first transaction updates and deletes these.
  await admin.query(`insert into ${chg} ${rowsSql('-50', '-1')}`)
  await admin.query(`create publication ${publication} for table ${chg}, ${lat}`)
  await admin.query(`select pg_create_logical_replication_slot($1, 'pgoutput')`, [slot])
  await admin.query(`select pg_create_logical_replication_slot($1, 'pgoutput')`, [rawSlot])

  // (b) the backlog: each transaction inserts 50 rows, updates the 30 first and deletes the
  // 20 last of the previous transaction's rows.
  const transactions = sizes.streamTransactions
  const changes = transactions * transactionSize
  const startLsn = await currentLsn(admin)
  const started = nowMs()
  await admin.query(`do $$
    begin
      for k in 0..${transactions - 1} loop
        insert into ${chg} ${rowsSql('k * 50', 'k * 50 + 49')};
        update ${chg} set i64 = i64 + 1, flag = not flag, note = 'updated ' || k,
          ts = ts + interval '1 second' where id between (k - 1) * 50 and (k - 1) * 50 + 29;
        delete from ${chg} where id between (k - 1) * 50 + 30 and (k - 1) * 50 + 49;
        commit;
      end loop;
    end $$`)
  const generateMs = nowMs() - started
  const endLsn = await currentLsn(admin)
  const wal = await walBytes(admin, startLsn, endLsn)
  console.log(
    `(b) wrote ${thousands(changes)} changes in ${transactions} transactions in ${round(generateMs)} ms (${mib(wal)} of WAL)`,
  )

  const raw = await recvlogical(rawSlot, publication, endLsn)
  if (raw.code !== 0) throw new Error(`pg_recvlogical failed (${raw.code}): ${raw.stderr}`)
  console.log(`(b) pg_recvlogical (pgoutput): ${round(raw.ms)} ms`)
  await admin.query('select pg_drop_replication_slot($1)', [rawSlot])

  // The latency topic exists before the consumer subscribes (the sink finds it there).
  const latTopic = `${names.base}.${names.schema}.lat`
  await kafka.admin.ensureTopic({
    name: latTopic,
    partitions: 1,
    replicationFactor: 1,
    configs: { 'cleanup.policy': 'compact' },
  })

  const name = `${names.base}_stream`
  const config = connectorConfig(names, name, {
    'table.include.list': `${chg},${lat}`,
    'snapshot.mode': 'no_data',
    'slot.name': slot,
    'publication.name': publication,
    'publication.autocreate.mode': 'disabled',
  })
  const child = startChild(
    childSpec(names, name, config, {
      countTable: 'chg',
      expected: changes,
      untilStopped: true,
      latencyTable: 'lat',
    }),
  )
  try {
    const caughtUp = await child.next('caught-up')
    console.log(
      `(b) connector: ${thousands(changes)} changes in Kafka ${round(caughtUp.ms)} ms after start (${round(caughtUp.msFromFirstEvent)} ms from the first event)`,
    )
    const streaming: Figures['streaming'] = {
      changes,
      generateMs: round(generateMs, 0),
      walBytes: wal,
      recvlogical: { ...raw, ms: round(raw.ms, 0), eventsPerSec: round(rate(changes, raw.ms), 0) },
      connector: {
        ms: caughtUp.ms,
        msFromFirstEvent: caughtUp.msFromFirstEvent,
        eventsPerSec: round(rate(changes, caughtUp.ms), 0),
      },
    }
    const latency = await latencyRun(admin, names, lat, latTopic, sizes.latencySeconds)
    child.send({ type: 'stop' })
    const result = await child.next('result')
    console.log(
      `(c) latency p50/p99: consumer ${round(latency.consumer.p50)}/${round(latency.consumer.p99)} ms, sink commit ${round(result.commitLatencyMs.p50)}/${round(result.commitLatencyMs.p99)} ms`,
    )
    return {
      streaming,
      latency: {
        ...latency,
        sinkCommit: result.commitLatencyMs,
        streamPeakRss: result.peakRss,
        streamRssAtStreaming: result.rssAtStreaming,
      },
    }
  } finally {
    await child.close()
  }
}

/**
 * (c) Inserts transactions of 100 rows at a steady rate; each row's i64 is its
 * clock_timestamp() in µs. A kafkajs consumer in this process (not the connector's) notes
 * when each key arrives; latency = arrival - row time. The connector child times the same
 * rows to the resolution of their sink commit.
 */
async function latencyRun(
  admin: pg.Client,
  names: Names,
  table: string,
  topic: string,
  seconds: number,
) {
  const arrivals = new Map<number, number>()
  const kafkajs = new Kafka({
    clientId: 'bench-latency',
    brokers: [...benchEnv.kafkaBrokers],
    logLevel: logLevel.NOTHING,
  })
  const consumer = kafkajs.consumer({ groupId: names.group })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  let joined = false
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true
  })
  await consumer.run({
    eachBatch: ({ batch }) => {
      const now = epochMicros()
      for (const message of batch.messages) {
        if (message.key === null) continue
        arrivals.set(avroIntKey(message.key), now)
      }
      return Promise.resolve()
    },
  })
  const writer = new pg.Client(benchEnv.postgres)
  await writer.connect()
  try {
    await waitUntil('the latency consumer to join its group', () => joined, 30_000)
    const intervalMs = (transactionSize * 1000) / full.latencyRate
    const ticks = Math.round((seconds * 1000) / intervalMs)
    let late = 0
    const started = nowMs()
    for (let k = 0; k < ticks; k++) {
      const wait = started + k * intervalMs - nowMs()
      if (wait > 0) await delay(wait)
      else if (wait < -intervalMs) late++
      const from = k * transactionSize
      await writer.query(`insert into ${table} ${rowsSql('$1::int', '$2::int', commitMicros)}`, [
        from,
        from + transactionSize - 1,
      ])
    }
    const elapsed = nowMs() - started
    const rows = ticks * transactionSize
    console.log(
      `(c) wrote ${thousands(rows)} rows in ${round(elapsed / 1000)} s (${thousands(rate(rows, elapsed))}/s)`,
    )
    await waitUntil(`all ${rows} latency rows in Kafka`, () => arrivals.size >= rows, 120_000, 50)
    const { rows: committed } = await admin.query<{ id: number; i64: string }>(
      `select id, i64::text from ${table}`,
    )
    const latencies: number[] = []
    for (const row of committed) {
      const arrived = arrivals.get(row.id)
      if (arrived !== undefined) latencies.push((arrived - Number(row.i64)) / 1000)
    }
    return {
      seconds,
      targetRate: full.latencyRate,
      achievedRate: round(rate(rows, elapsed), 0),
      lateTicks: late,
      consumer: percentiles(latencies),
    }
  } finally {
    await writer.end()
    await consumer.disconnect()
    const groups = kafkajs.admin()
    await groups.connect()
    await groups.deleteGroups([names.group]).catch(() => undefined)
    await groups.disconnect()
  }
}

/** The int32 `id` of an Avro key: magic byte, schema id, then one zig-zag varint. */
function avroIntKey(key: Buffer): number {
  let value = 0
  let shift = 0
  for (let offset = 5; offset < key.length; offset++) {
    const byte = key[offset] ?? 0
    value |= (byte & 0x7f) << shift
    if ((byte & 0x80) === 0) break
    shift += 7
  }
  return (value >>> 1) ^ -(value & 1)
}

async function bigTransactionBench(admin: pg.Client, names: Names, rows: number) {
  const table = `${names.schema}.big`
  const publication = `${names.base}_big`
  const slot = `${names.base}_big`
  const rawSlot = `${names.base}_big_raw`
  await admin.query(createTable(table))
  await admin.query(`create publication ${publication} for table ${table}`)
  await admin.query(`select pg_create_logical_replication_slot($1, 'pgoutput')`, [slot])
  await admin.query(`select pg_create_logical_replication_slot($1, 'pgoutput')`, [rawSlot])
  const startLsn = await currentLsn(admin)
  const started = nowMs()
  await admin.query(`insert into ${table} ${rowsSql('1', String(rows))}`)
  const insertMs = nowMs() - started
  const endLsn = await currentLsn(admin)
  const wal = await walBytes(admin, startLsn, endLsn)
  console.log(
    `(d) one transaction of ${thousands(rows)} rows in ${round(insertMs)} ms (${mib(wal)} of WAL)`,
  )
  const raw = await recvlogical(rawSlot, publication, endLsn)
  if (raw.code !== 0) throw new Error(`pg_recvlogical failed (${raw.code}): ${raw.stderr}`)
  console.log(`(d) pg_recvlogical (pgoutput): ${round(raw.ms)} ms`)
  await admin.query('select pg_drop_replication_slot($1)', [rawSlot])

  const name = `${names.base}_big`
  const config = connectorConfig(names, name, {
    'table.include.list': table,
    'snapshot.mode': 'no_data',
    'slot.name': slot,
    'publication.name': publication,
    'publication.autocreate.mode': 'disabled',
  })
  const child = startChild(
    childSpec(names, name, config, { countTable: 'big', expected: rows, untilStopped: true }),
  )
  try {
    await child.next('caught-up')
    child.send({ type: 'stop' })
    const result = await child.next('result')
    console.log(
      `(d) connector: ${thousands(result.committedEvents)} events in ${round(result.ms)} ms, peak RSS ${mib(result.peakRss)}`,
    )
    return {
      rows,
      insertMs: round(insertMs, 0),
      walBytes: wal,
      recvlogical: { ...raw, ms: round(raw.ms, 0), eventsPerSec: round(rate(rows, raw.ms), 0) },
      connector: { ...result, eventsPerSec: round(rate(result.committedEvents, result.ms), 0) },
    }
  } finally {
    await child.close()
  }
}

async function dropPgObjects(admin: pg.Client, names: Names): Promise<void> {
  for (const slot of names.slots) {
    await waitUntil(
      `slot ${slot} to be released`,
      async () => {
        const { rows } = await admin.query<{ pid: number | null }>(
          'select active_pid as pid from pg_replication_slots where slot_name = $1',
          [slot],
        )
        const pid = rows[0]?.pid ?? null
        if (pid === null) return true
        await admin.query('select pg_terminate_backend($1)', [pid])
        return false
      },
      15_000,
      100,
    )
    await admin.query(
      'select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1',
      [slot],
    )
  }
  for (const publication of names.publications) {
    await admin.query(`drop publication if exists ${publication}`)
  }
  await admin.query(`drop schema if exists ${names.schema} cascade`)
}

function report(figures: Figures): void {
  const rows: string[][] = []
  const { snapshot, streaming, latency, bigTransaction } = figures
  if (snapshot !== undefined) {
    rows.push([
      `(a) snapshot ${thousands(snapshot.rows)} rows: connector -> Kafka (Avro)`,
      `${thousands(snapshot.connector.rowsPerSec)} rows/s`,
      mib(snapshot.connector.peakRss),
    ])
    rows.push([
      '    COPY table TO STDOUT through pg',
      `${thousands(snapshot.copy.rowsPerSec)} rows/s`,
      '-',
    ])
  }
  if (streaming !== undefined) {
    rows.push([
      `(b) stream ${thousands(streaming.changes)} changes: connector -> Kafka (Avro)`,
      `${thousands(streaming.connector.eventsPerSec)} events/s`,
      latency === undefined ? '-' : mib(latency.streamPeakRss),
    ])
    rows.push([
      '    pg_recvlogical (pgoutput) -> /dev/null',
      `${thousands(streaming.recvlogical.eventsPerSec)} events/s`,
      mib(streaming.recvlogical.peakRss),
    ])
  }
  if (latency !== undefined) {
    rows.push([
      `(c) commit -> kafkajs consumer, ${thousands(latency.achievedRate)}/s`,
      `p50 ${round(latency.consumer.p50)} ms, p99 ${round(latency.consumer.p99)} ms`,
      '-',
    ])
    rows.push([
      '    commit -> sink commit resolved',
      `p50 ${round(latency.sinkCommit.p50)} ms, p99 ${round(latency.sinkCommit.p99)} ms`,
      '-',
    ])
  }
  if (bigTransaction !== undefined) {
    rows.push([
      `(d) one ${thousands(bigTransaction.rows)}-row transaction: connector -> Kafka`,
      `${thousands(bigTransaction.connector.eventsPerSec)} events/s`,
      mib(bigTransaction.connector.peakRss),
    ])
    rows.push([
      '    pg_recvlogical (pgoutput) -> /dev/null',
      `${thousands(bigTransaction.recvlogical.eventsPerSec)} events/s`,
      mib(bigTransaction.recvlogical.peakRss),
    ])
  }
  printTable('PostgreSQL connector', ['measure', 'rate / latency', 'peak RSS'], rows)
}

if (args.child !== undefined) {
  const spec = JSON.parse(args.values.spec ?? '{}') as ConnectorChildSpec
  await runConnectorChild(postgresConnectorPlugin, spec)
} else {
  hideTimeoutNegativeWarnings()
  await main()
}
