// The envelope -> registry -> sink path on real Kafka, without a database: synthetic insert
// events of a 10-column table go through buildChangeRecords, an Avro (registry) or JSON
// encoder and KafkaChangeSink, committed every 100 events as a connector does.
//
//   node bench/sink.ts [--scale 0.01] [--modes avro,json,avro-eos,avro-encode,json-encode]
//                      [--registry embedded|apicurio] [--events N] [--json-schemas false]
//                      [--in-flight-mb 8]
//
// Each mode runs in a child process of its own, so its peak RSS is its own.
import { fileURLToPath } from 'node:url'
import type { Position } from '../connectors/ports.ts'
import { buildChangeRecords } from '../envelope/debezium-envelope.ts'
import { KafkaChangeSink, type RecordEncoder } from '../kafka/kafka-change-sink.ts'
import { KafkaClient } from '../kafka/kafka-client.ts'
import { AvroRecordEncoder, JsonRecordEncoder } from '../kafka/record-encoders.ts'
import { TopicPolicy } from '../kafka/topic-policy.ts'
import { benchEnv } from './lib/env.ts'
import {
  benchArgs,
  mib,
  nowMs,
  peakRss,
  percentiles,
  printSummary,
  printTable,
  rate,
  round,
  RssSampler,
  scaled,
  thousands,
  uniqueName,
  type Percentiles,
} from './lib/measure.ts'
import {
  CountingEncoder,
  CountingProducer,
  deleteApicurioSubjects,
  deleteTopics,
  ensureOffsetsTopic,
  registryKind,
  startRegistry,
  type RegistryKind,
} from './lib/pipeline.ts'
import { BenchChild, toParent } from './lib/processes.ts'
import { benchInsert, benchTable } from './lib/synthetic.ts'

const modes = ['avro', 'json', 'avro-eos', 'avro-encode', 'json-encode'] as const
type Mode = (typeof modes)[number]

const fullEvents = 1_000_000
const transactionSize = 100
/** As the Postgres change stream: at most this many commits wait for Kafka at once. */
const maxPendingCommits = 64

interface ModeResult {
  type: 'result'
  mode: Mode
  events: number
  records: number
  bytes: number
  ms: number
  recordsPerSec: number
  mbPerSec: number
  avgRecordBytes: number
  peakRss: number | null
  rssAtStart: number
  commitLatencyMs: Percentiles
  kafkaSends: number
  kafkaTransactions: number
}

const describe: Record<Mode, string> = {
  avro: 'Avro (registry), at-least-once',
  json: 'JSON, at-least-once',
  'avro-eos': 'Avro, exactly-once (Kafka transactions)',
  'avro-encode': 'Avro envelope+encode only, no Kafka',
  'json-encode': 'JSON envelope+encode only, no Kafka',
}

const script = fileURLToPath(import.meta.url)
const args = benchArgs(['modes', 'registry', 'events', 'prefix', 'json-schemas', 'in-flight-mb'])
const jsonSchemas = (args.values['json-schemas'] ?? 'true') !== 'false'
/** KafkaChangeSink's maxInFlightBytes in MiB; unset keeps the sink's default (64 MiB). */
const inFlightMb = args.values['in-flight-mb']

async function main(): Promise<void> {
  const selected = (args.values.modes ?? modes.join(',')).split(',') as Mode[]
  for (const mode of selected) {
    if (!modes.includes(mode)) throw new Error(`unknown mode ${mode}; modes: ${modes.join(', ')}`)
  }
  const registry = registryKind(args.values.registry)
  const events = Number(args.values.events ?? scaled(fullEvents, args.scale, transactionSize))
  console.log(
    `sink bench: ${thousands(events)} events per mode, transactions of ${transactionSize}, JSON schemas.enable=${jsonSchemas}, registry ${registry === 'embedded' ? 'embedded (in-process, KafkaSchemaLog)' : `Apicurio ${benchEnv.apicurioUrl}`}`,
  )
  const kafka = new KafkaClient({ brokers: benchEnv.kafkaBrokers, clientId: 'bench-sink' })
  const results: ModeResult[] = []
  try {
    for (const mode of selected) {
      const prefix = uniqueName('bench_sink')
      const run = new BenchChild<ModeResult>(script, [
        '--child',
        mode,
        '--events',
        String(events),
        '--registry',
        registry,
        '--prefix',
        prefix,
        '--json-schemas',
        String(jsonSchemas),
        ...(inFlightMb === undefined ? [] : ['--in-flight-mb', inFlightMb]),
      ])
      try {
        const result = await run.next('result')
        results.push(result)
        console.log(
          `  ${mode}: ${thousands(result.recordsPerSec)} records/s, ${round(result.mbPerSec)} MB/s, peak RSS ${mib(result.peakRss)}`,
        )
      } finally {
        await run.exited
        await deleteTopics(kafka, topicsOf(prefix))
        if (registry === 'apicurio') await deleteApicurioSubjects([benchTable(prefix).topic])
      }
    }
  } finally {
    await kafka.close()
  }
  printTable(
    `KafkaChangeSink, ${thousands(events)} insert events of a 10-column table, commit every ${transactionSize}`,
    [
      'mode',
      'records/s',
      'MB/s',
      'B/record',
      'peak RSS',
      'commit p50 ms',
      'commit p99 ms',
      'produce calls',
      'Kafka txns',
    ],
    results.map((r) => [
      `${r.mode} (${describe[r.mode]})`,
      thousands(r.recordsPerSec),
      round(r.mbPerSec).toFixed(1),
      thousands(r.avgRecordBytes),
      mib(r.peakRss),
      r.mode.endsWith('-encode') ? '-' : round(r.commitLatencyMs.p50).toFixed(1),
      r.mode.endsWith('-encode') ? '-' : round(r.commitLatencyMs.p99).toFixed(1),
      r.mode.endsWith('-encode') ? '-' : thousands(r.kafkaSends),
      r.mode === 'avro-eos' ? thousands(r.kafkaTransactions) : '-',
    ]),
  )
  console.log(
    'MB = 10^6 bytes of record keys and values; commit latency = commit(position) call to resolution.',
  )
  printSummary(
    'sink',
    args.scale,
    results.map(({ type: _type, ...rest }) => ({
      ...rest,
      registry,
      jsonSchemas,
      inFlightMb: inFlightMb ?? 'default',
    })),
  )
}

function topicsOf(prefix: string): string[] {
  return [benchTable(prefix).topic, `${prefix}_offsets`, `${prefix}_schemas`]
}

async function child(mode: Mode): Promise<void> {
  const events = Number(args.values.events ?? fullEvents)
  const prefix = args.values.prefix ?? uniqueName('bench_sink')
  const registryChoice: RegistryKind = registryKind(args.values.registry)
  const kafka = new KafkaClient({ brokers: benchEnv.kafkaBrokers, clientId: `bench-${prefix}` })
  const [, offsetsTopic, schemasTopic] = topicsOf(prefix) as [string, string, string]
  const registry = await startRegistry(registryChoice, kafka, schemasTopic)
  const table = benchTable(prefix)
  const format = mode.startsWith('avro') ? 'avro' : 'json'
  const inner: RecordEncoder =
    format === 'avro'
      ? new AvroRecordEncoder(registry.client)
      : new JsonRecordEncoder({ keySchemasEnable: jsonSchemas, valueSchemasEnable: jsonSchemas })
  const encoder = new CountingEncoder(inner)
  const exactlyOnce = mode === 'avro-eos'
  const producer = new CountingProducer(
    kafka.settings,
    exactlyOnce ? { transactionalId: `cdc-source-${prefix}` } : {},
  )
  const sink = new KafkaChangeSink({
    connector: prefix,
    partition: { server: prefix },
    offsetsTopic,
    producer,
    topics: new TopicPolicy(kafka.admin, { partitions: 1, replicationFactor: 1 }),
    toRecords: (event) => buildChangeRecords(event),
    encoder,
    exactlyOnce,
    ...(inFlightMb === undefined ? {} : { maxInFlightBytes: Number(inFlightMb) * 1024 * 1024 }),
  })
  const encodeOnly = mode.endsWith('-encode')
  if (!encodeOnly) await ensureOffsetsTopic(kafka, offsetsTopic)

  const sampler = new RssSampler()
  const rssAtStart = process.memoryUsage().rss
  const commitLatency: number[] = []
  const pending: Promise<void>[] = []
  const started = nowMs()
  for (let i = 0; i < events; i++) {
    const txId = Math.floor(i / transactionSize)
    const event = benchInsert(table, i, txId)
    if (encodeOnly) {
      for (const record of buildChangeRecords(event)) await encoder.encode(record)
      continue
    }
    await sink.emit(event)
    if ((i + 1) % transactionSize === 0 || i === events - 1) {
      const position: Position = {
        lsn: (0x1000_0000 + i * 200).toString(16),
        snapshot_completed: true,
        txId,
        ts_usec: null,
      }
      const calledAt = nowMs()
      pending.push(
        sink.commit(position).then(() => {
          commitLatency.push(nowMs() - calledAt)
        }),
      )
      if (pending.length >= maxPendingCommits) await pending.shift()
    }
  }
  await Promise.all(pending)
  if (!encodeOnly) await sink.flush()
  const ms = nowMs() - started
  const sampledPeak = sampler.stop()
  await sink.close()
  await producer.close()
  await registry.close()
  await kafka.close()
  const records = encoder.records
  const result: ModeResult = {
    type: 'result',
    mode,
    events,
    records,
    bytes: encoder.bytes,
    ms: round(ms, 0),
    recordsPerSec: round(rate(records, ms), 0),
    mbPerSec: round(rate(encoder.bytes, ms) / 1e6, 2),
    avgRecordBytes: round(encoder.bytes / Math.max(1, records), 0),
    peakRss: peakRss() ?? sampledPeak,
    rssAtStart,
    commitLatencyMs: roundPercentiles(percentiles(commitLatency)),
    kafkaSends: producer.sends,
    kafkaTransactions: producer.transactions,
  }
  await toParent(result)
  process.exit(0)
}

function roundPercentiles(p: Percentiles): Percentiles {
  return {
    count: p.count,
    p50: round(p.p50, 2),
    p90: round(p.p90, 2),
    p99: round(p.p99, 2),
    max: round(p.max, 2),
  }
}

if (args.child !== undefined) {
  await child(args.child as Mode)
} else {
  await main()
}
