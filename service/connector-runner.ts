import { setTimeout as delay } from 'node:timers/promises'
import { CdcError, errorMessage, findCdcError } from '../common/errors.ts'
import type {
  ConnectorConfig,
  ConnectorLogger,
  ConnectorMonitor,
  ConnectorPhase,
  ConnectorPlugin,
  ConnectorTask,
  TableSnapshotProgress,
} from '../connectors/plugin.ts'
import type { ChangeSink, Position } from '../connectors/ports.ts'
import type { RunState } from './status-store.ts'

/** A sink for one run of a connector; closed when the run ends. */
export interface RunSink extends ChangeSink {
  flush(): Promise<void>
  close(): Promise<void>
  readonly recordsWritten: number
}

export interface RunnerOptions {
  name: string
  plugin: ConnectorPlugin
  /** The config with `${env:...}`/`${file:...}` references already resolved. */
  config: ConnectorConfig
  logger: ConnectorLogger
  /** The last committed position, read fresh before every (re)start. */
  loadPosition: () => Promise<Position | null>
  createSink: () => Promise<RunSink>
  /** Reports state changes; the runtime stores them in the status topic. */
  onState: (state: RunState, error: CdcError | null) => void
  maxRetries?: number
  retryBackoffMs?: number
  maxRetryBackoffMs?: number
}

export interface RunnerFigures {
  phase: ConnectorPhase | null
  snapshot: ReadonlyMap<string, TableSnapshotProgress & { startedAt: number; updatedAt: number }>
  eventsSeen: number
  recordsProduced: number
  errors: number
  millisBehindSource: number | null
}

/**
 * Runs one connector on this instance: starts its task from the last committed position,
 * retries retriable failures with exponential backoff from that position, and stops in
 * FAILED with the reason on a permanent one. Pausing and stopping are clean stops: the
 * task commits what it emitted, then exits; resuming starts again from the position.
 */
export class ConnectorRunner {
  readonly name: string
  readonly #options: RunnerOptions
  #abort: AbortController | undefined
  #loop: Promise<void> | undefined
  #phase: ConnectorPhase | null = null
  readonly #snapshot = new Map<
    string,
    TableSnapshotProgress & { startedAt: number; updatedAt: number }
  >()
  #eventsSeen = 0
  #recordsProduced = 0
  #errors = 0
  #behind: number | null = null
  #sink: RunSink | undefined
  #task: ConnectorTask | undefined
  /** Counts snapshot/streaming phase reports: a run that made one got working. */
  #workingRuns = 0
  /** The status shows the retriable failure the runner is retrying after. */
  #retrying = false

  constructor(options: RunnerOptions) {
    this.name = options.name
    this.#options = options
  }

  get running(): boolean {
    return this.#loop !== undefined
  }

  figures(): RunnerFigures {
    return {
      phase: this.#phase,
      snapshot: this.#snapshot,
      eventsSeen: this.#eventsSeen,
      recordsProduced: this.#recordsProduced + (this.#sink?.recordsWritten ?? 0),
      errors: this.#errors,
      millisBehindSource: this.#behind,
    }
  }

  start(): void {
    if (this.#loop !== undefined) return
    const abort = new AbortController()
    this.#abort = abort
    this.#loop = this.#run(abort.signal).finally(() => {
      this.#loop = undefined
    })
  }

  /** Stops at a clean position; resolves once the task has exited. */
  async stop(): Promise<void> {
    this.#abort?.abort()
    await this.#loop
  }

  async #run(signal: AbortSignal): Promise<void> {
    const { maxRetries = 10, retryBackoffMs = 500, maxRetryBackoffMs = 30_000 } = this.#options
    this.#options.onState('RUNNING', null)
    for (let attempt = 0; !signal.aborted; attempt++) {
      const workedBefore = this.#workingRuns
      let failure: CdcError | undefined
      try {
        await this.#runOnce(signal)
        return
      } catch (error) {
        failure =
          findCdcError(error) ??
          new CdcError(
            'CDC_CONNECTOR_CRASHED',
            `connector ${this.name} crashed: ${errorMessage(error)}`,
            {
              cause: error,
            },
          )
      }
      this.#errors++
      // A stop requested while the task was failing wins over the failure.
      if (isAborted(signal)) return
      // The retry budget is for one outage: a run that got working again starts it afresh,
      // or a connector would fail for good after its tenth database restart.
      if (this.#workingRuns > workedBefore) attempt = 0
      if (!failure.retriable || attempt >= maxRetries) {
        this.#phase = null
        this.#options.logger.error('connector failed', {
          code: failure.code,
          message: failure.message,
        })
        this.#options.onState('FAILED', failure)
        return
      }
      const backoff = Math.min(maxRetryBackoffMs, retryBackoffMs * 2 ** attempt)
      this.#options.logger.warn('connector failed, retrying from its last committed position', {
        code: failure.code,
        message: failure.message,
        attempt: attempt + 1,
        backoffMs: backoff,
      })
      // Still RUNNING, but the status says why nothing moves until a retry gets through.
      this.#retrying = true
      this.#options.onState('RUNNING', failure)
      await delay(backoff, undefined, { signal }).catch(() => undefined)
    }
  }

  async #runOnce(signal: AbortSignal): Promise<void> {
    const position = await this.#options.loadPosition()
    const sink = await this.#options.createSink()
    this.#sink = sink
    try {
      const task = this.#options.plugin.create(this.#options.config, {
        name: this.name,
        sink,
        monitor: this.#monitor(),
        logger: this.#options.logger,
      })
      this.#task = task
      await task.run(position, signal)
      await sink.flush()
    } finally {
      this.#recordsProduced += sink.recordsWritten
      this.#sink = undefined
      this.#task = undefined
      await sink.close()
      this.#phase = null
    }
  }

  /** Passes an ad-hoc snapshot request to the running task. */
  async requestSnapshot(tables: readonly string[]): Promise<void> {
    const task = this.#task
    if (task === undefined) {
      throw new CdcError(
        'CDC_API_CONFLICT',
        `connector ${this.name} is not running right now (it FAILED, or waits to retry after an error; GET /connectors/${this.name}/status says which); ad-hoc snapshots are taken only while it streams`,
      )
    }
    if (task.requestSnapshot === undefined) {
      throw new CdcError(
        'CDC_API_CONFLICT',
        `connector ${this.name} does not support ad-hoc snapshots`,
      )
    }
    await task.requestSnapshot(tables)
  }

  #monitor(): ConnectorMonitor {
    return {
      phase: (phase) => {
        // A new snapshot (the initial one again, or an ad-hoc one) shows its own tables only.
        if (phase === 'snapshot' && this.#phase !== 'snapshot') this.#snapshot.clear()
        this.#phase = phase
        if (phase !== 'snapshot' && phase !== 'streaming') return
        this.#workingRuns++
        if (this.#retrying) {
          this.#retrying = false
          this.#options.onState('RUNNING', null)
        }
      },
      snapshotProgress: (progress) => {
        const now = Date.now()
        const previous = this.#snapshot.get(progress.table)
        this.#snapshot.set(progress.table, {
          ...progress,
          startedAt: previous?.startedAt ?? now,
          updatedAt: now,
        })
      },
      eventsSeen: (count) => {
        this.#eventsSeen += count
      },
      behindSource: (ms) => {
        this.#behind = ms
      },
    }
  }
}

// Read through a function: the loop condition narrows `signal.aborted` to false, but an
// await in between may have changed it.
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted
}
