import type {
  ConnectorContext,
  ConnectorMonitor,
  ConnectorPhase,
  TableSnapshotProgress,
} from '../../../connectors/plugin.ts'
import type { ChangeSink, Position } from '../../../connectors/ports.ts'
import type { ChangeEvent, SchemaChangeEvent } from '../../../envelope/change-event.ts'

/**
 * A test-only ChangeSink that keeps events in memory. Commits resolve at once; `pauseEmits`
 * makes emit() hold (backpressure) until released, to see what the connector does meanwhile.
 */
export class CollectingSink implements ChangeSink {
  readonly events: ChangeEvent[] = []
  readonly schemaChanges: SchemaChangeEvent[] = []
  readonly commits: Position[] = []
  /** Events emitted before the last commit: what a restart must not replay. */
  committedEvents = 0
  #pause: { at: number; gate: Promise<void> } | null = null

  /**
   * From the `after`-th event on (counting those already received), emit() holds until the
   * returned function runs.
   */
  pauseEmits(after = 0): () => void {
    let open: () => void = () => undefined
    const gate = new Promise<void>((resolve) => {
      open = resolve
    })
    this.#pause = { at: this.events.length + after, gate }
    return () => {
      this.#pause = null
      open()
    }
  }

  async emit(event: ChangeEvent): Promise<void> {
    // Schema changes are kept apart, so tests count and index row events alone.
    if (event.kind === 'schemaChange') {
      this.schemaChanges.push(event)
      return
    }
    this.events.push(event)
    const pause = this.#pause
    if (pause !== null && this.events.length > pause.at) await pause.gate
  }

  commit(position: Position): Promise<void> {
    this.commits.push(position)
    this.committedEvents = this.events.length
    return Promise.resolve()
  }

  get lastPosition(): Position | null {
    return this.commits.at(-1) ?? null
  }
}

export class CollectingMonitor implements ConnectorMonitor {
  readonly phases: ConnectorPhase[] = []
  readonly progress: TableSnapshotProgress[] = []
  seen = 0
  readonly behind: number[] = []

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

export function collectingContext(
  name: string,
  sink: ChangeSink,
  monitor: ConnectorMonitor,
): ConnectorContext {
  const silent = () => undefined
  return { name, sink, monitor, logger: { info: silent, warn: silent, error: silent } }
}
