import type { ChangeEvent } from '../../../envelope/change-event.ts'
import type {
  ConnectorContext,
  ConnectorMonitor,
  ConnectorPhase,
  TableSnapshotProgress,
} from '../../../connectors/plugin.ts'
import type { ChangeSink, Position } from '../../../connectors/ports.ts'

/**
 * A ChangeSink that keeps events in memory. commit() resolves at once unless `holdCommits`
 * is set; then commits wait until `releaseCommits()`, to show what the connector confirms
 * while Kafka has not acknowledged.
 */
export class MemorySink implements ChangeSink {
  readonly events: ChangeEvent[] = []
  readonly commits: Position[] = []
  /** Events emitted before each durable commit, i.e. what a restart must not replay. */
  committedEvents = 0
  holdCommits = false
  #held: { resolve: () => void; reject: (error: Error) => void }[] = []
  failEmitWith: Error | null = null
  #gate: Promise<void> | null = null

  /** Makes emit() wait (backpressure) after storing each event until the returned function runs. */
  pauseEmits(): () => void {
    let open: () => void = () => undefined
    this.#gate = new Promise<void>((resolve) => {
      open = resolve
    })
    return () => {
      this.#gate = null
      open()
    }
  }

  async emit(event: ChangeEvent): Promise<void> {
    if (this.failEmitWith !== null) throw this.failEmitWith
    this.events.push(event)
    if (this.#gate !== null) await this.#gate
  }

  commit(position: Position): Promise<void> {
    const count = this.events.length
    const durable = () => {
      this.commits.push(position)
      this.committedEvents = count
    }
    if (!this.holdCommits) {
      durable()
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => {
      this.#held.push({
        resolve: () => {
          durable()
          resolve()
        },
        reject,
      })
    })
  }

  releaseCommits(): void {
    this.holdCommits = false
    for (const held of this.#held.splice(0)) held.resolve()
  }

  /** Fails every held commit, as a sink does when Kafka rejects the records. */
  failCommits(error: Error): void {
    for (const held of this.#held.splice(0)) held.reject(error)
  }

  get pendingCommits(): number {
    return this.#held.length
  }

  get lastPosition(): Position | null {
    return this.commits.at(-1) ?? null
  }
}

export class MemoryMonitor implements ConnectorMonitor {
  readonly phases: ConnectorPhase[] = []
  readonly progress: TableSnapshotProgress[] = []
  seen = 0
  behind: number[] = []

  phase(phase: ConnectorPhase): void {
    this.phases.push(phase)
  }

  snapshotProgress(progress: TableSnapshotProgress): void {
    this.progress.push(progress)
  }

  eventsSeen(count: number): void {
    this.seen += count
  }

  behindSource(ms: number): void {
    this.behind.push(ms)
  }
}

export function memoryContext(
  name: string,
  sink: ChangeSink,
  monitor = new MemoryMonitor(),
): ConnectorContext {
  const silent = () => undefined
  return { name, sink, monitor, logger: { info: silent, warn: silent, error: silent } }
}
