// One run of a source connector in a bench child process, wired as the service wires it
// (service/sink-factory.ts: KafkaChangeSink, Avro through the registry, the service's
// runtime settings), with a probe between connector and sink that counts and times.
import type {
  ConnectorConfig,
  ConnectorMonitor,
  ConnectorPhase,
  ConnectorPlugin,
} from '../../connectors/plugin.ts'
import type { ChangeSink, Position } from '../../connectors/ports.ts'
import type { ChangeEvent } from '../../envelope/change-event.ts'
import { KafkaClient } from '../../kafka/kafka-client.ts'
import { runtimeSettings } from '../../service/runtime-config.ts'
import { sinkFactory } from '../../service/sink-factory.ts'
import { benchEnv } from './env.ts'
import { epochMicros, nowMs, peakRss, percentiles, round, RssSampler } from './measure.ts'
import type { Percentiles } from './measure.ts'
import { ensureOffsetsTopic, startRegistry } from './pipeline.ts'
import { fromParent, toParent } from './processes.ts'

export interface ConnectorChildSpec {
  name: string
  config: ConnectorConfig
  offsetsTopic: string
  schemasTopic: string
  /** Row events of this table (source table name) count towards `expected`. */
  countTable: string
  expected: number
  /**
   * Row events of this table carry their source commit time, µs since the epoch, in column
   * `i64`; the probe times each from then to the resolution of the commit that covers it.
   */
  latencyTable?: string
  /** Stream until the parent sends `stop` (true), or until the run ends by itself. */
  untilStopped: boolean
  /** The stored position the run starts from (null: a new connector). */
  from?: Position | null
}

export interface CaughtUpMessage {
  type: 'caught-up'
  /** From run() to the commit that made `expected` events durable. */
  ms: number
  /** From the first counted event to that commit. */
  msFromFirstEvent: number
}

export interface ConnectorResultMessage {
  type: 'result'
  events: number
  committedEvents: number
  recordsWritten: number
  /** run() to the end of the run (snapshot) or to caught-up (streaming). */
  ms: number
  msFromFirstEvent: number
  phaseMs: Partial<Record<ConnectorPhase, number>>
  peakRss: number | null
  sampledPeakRss: number
  rssAtStreaming: number | null
  /** Source commit -> sink commit resolved, per event of `latencyTable`. */
  commitLatencyMs: Percentiles
}

export type ConnectorChildMessage = CaughtUpMessage | ConnectorResultMessage

/** Counts and times between the connector and the service's sink. */
class ProbeSink implements ChangeSink {
  emitted = 0
  committed = 0
  firstEventAt: number | null = null
  readonly latenciesMs: number[] = []
  onCommitted: () => void = () => undefined
  readonly #inner: ChangeSink
  readonly #spec: ConnectorChildSpec
  #commitTimes: bigint[] = []

  constructor(inner: ChangeSink, spec: ConnectorChildSpec) {
    this.#inner = inner
    this.#spec = spec
  }

  emit(event: ChangeEvent): Promise<void> {
    if (event.kind === 'row') {
      const table = event.table.id.table
      if (table === this.#spec.countTable) {
        this.firstEventAt ??= nowMs()
        this.emitted++
      }
      if (table === this.#spec.latencyTable) {
        const committedAt = event.after?.i64
        if (typeof committedAt === 'bigint') this.#commitTimes.push(committedAt)
      }
    }
    return this.#inner.emit(event)
  }

  commit(position: Position): Promise<void> {
    const covered = this.emitted
    const times = this.#commitTimes
    this.#commitTimes = []
    const committed = this.#inner.commit(position)
    committed.then(
      () => {
        const now = epochMicros()
        for (const time of times) this.latenciesMs.push((now - Number(time)) / 1000)
        if (covered > this.committed) this.committed = covered
        this.onCommitted()
      },
      () => undefined,
    )
    return committed
  }
}

export async function runConnectorChild(
  plugin: ConnectorPlugin,
  spec: ConnectorChildSpec,
): Promise<void> {
  const sampler = new RssSampler()
  const kafka = new KafkaClient({ brokers: benchEnv.kafkaBrokers, clientId: `bench-${spec.name}` })
  await ensureOffsetsTopic(kafka, spec.offsetsTopic)
  const registry = await startRegistry('embedded', kafka, spec.schemasTopic)
  const issues = plugin.validate(spec.config)
  if (issues.length > 0) throw new Error(`invalid connector config: ${JSON.stringify(issues)}`)
  const sink = await sinkFactory(
    kafka,
    registry.client,
    1,
  )({
    name: spec.name,
    partition: { server: spec.name },
    config: spec.config,
    settings: runtimeSettings(spec.config),
    offsetsTopic: spec.offsetsTopic,
    onTopic: () => undefined,
  })
  const probe = new ProbeSink(sink, spec)
  const phaseStarts: Partial<Record<ConnectorPhase, number>> = {}
  const phaseMs: Partial<Record<ConnectorPhase, number>> = {}
  let currentPhase: ConnectorPhase | null = null
  let rssAtStreaming: number | null = null
  const monitor: ConnectorMonitor = {
    phase: (phase) => {
      const now = nowMs()
      if (currentPhase !== null) {
        phaseMs[currentPhase] = round(now - (phaseStarts[currentPhase] ?? now), 0)
      }
      currentPhase = phase
      phaseStarts[phase] = now
      if (phase === 'streaming') rssAtStreaming = process.memoryUsage().rss
    },
    snapshotProgress: () => undefined,
    eventsSeen: () => undefined,
    behindSource: () => undefined,
  }
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    console.error(
      `[${spec.name}] ${level}: ${message} ${fields === undefined ? '' : JSON.stringify(fields)}`,
    )
  }
  const abort = new AbortController()
  const task = plugin.create(spec.config, {
    name: spec.name,
    sink: probe,
    monitor,
    logger: { info: () => undefined, warn: log('warn'), error: log('error') },
  })
  const started = nowMs()
  let caughtUpNotified = false
  const caughtUp = new Promise<number>((resolve) => {
    probe.onCommitted = () => {
      if (caughtUpNotified || probe.committed < spec.expected) return
      caughtUpNotified = true
      resolve(nowMs())
    }
  })
  const run = task.run(spec.from ?? null, abort.signal).then(() => sink.flush())
  let endedAt: number | undefined
  if (spec.untilStopped) {
    const caughtUpAt = await Promise.race([caughtUp, run.then(() => null)])
    if (caughtUpAt === null) throw new Error(`run ended after ${probe.committed} events`)
    endedAt = caughtUpAt
    const caughtUpMessage: CaughtUpMessage = {
      type: 'caught-up',
      ms: round(caughtUpAt - started, 0),
      msFromFirstEvent: round(caughtUpAt - (probe.firstEventAt ?? started), 0),
    }
    await toParent(caughtUpMessage)
    await Promise.race([fromParent('stop'), run])
    abort.abort()
  }
  await run
  endedAt ??= nowMs()
  const recordsWritten = sink.recordsWritten
  await sink.close()
  await registry.close()
  await kafka.close()
  const result: ConnectorResultMessage = {
    type: 'result',
    events: probe.emitted,
    committedEvents: probe.committed,
    recordsWritten,
    ms: round(endedAt - started, 0),
    msFromFirstEvent: round(endedAt - (probe.firstEventAt ?? started), 0),
    phaseMs,
    peakRss: peakRss(),
    sampledPeakRss: sampler.stop(),
    rssAtStreaming,
    commitLatencyMs: percentiles(probe.latenciesMs),
  }
  await toParent(result)
  process.exit(0)
}
