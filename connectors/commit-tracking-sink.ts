import type { ChangeEvent } from '../envelope/change-event.ts'
import type { ChangeSink, Position } from './ports.ts'

/**
 * Passes everything to `sink` and remembers the newest position committed, so that a task
 * knows where its streaming stopped without asking the code that committed it. Commits
 * resolve in order: once the last one resolved, `lastCommitted` is durable.
 */
export class CommitTrackingSink implements ChangeSink {
  readonly #sink: ChangeSink
  #last: Position | null = null

  constructor(sink: ChangeSink) {
    this.#sink = sink
  }

  /** The newest position given to `commit`, or the one `reset` set. */
  get lastCommitted(): Position | null {
    return this.#last
  }

  /** Starts tracking from `position`, where the sink's commits resume (null: none yet). */
  reset(position: Position | null): void {
    this.#last = position
  }

  emit(event: ChangeEvent): Promise<void> {
    return this.#sink.emit(event)
  }

  commit(position: Position): Promise<void> {
    this.#last = position
    return this.#sink.commit(position)
  }
}
