import { CdcError } from '../common/errors.ts'

/** What a streaming phase sees of ad-hoc snapshot requests. */
export interface SnapshotRequestSignal {
  /** A request waits for streaming to stop at the next transaction boundary. */
  readonly waiting: boolean
  /** Calls `listener` when a request arrives; returns a function that removes it. */
  onRequest(listener: () => void): () => void
}

/** A request handed to the task, which records it in the committed position. */
export interface TakenRequest {
  tables: readonly string[]
  /** The request is recorded: `requestSnapshot` resolves, the API answers 202. */
  accepted(): void
  /** The request could not be recorded; `requestSnapshot` rejects with `error`. */
  failed(error: unknown): void
}

/**
 * The ad-hoc (blocking) snapshot requests of one connector task. A request is taken only
 * while the task streams and no other request waits. It waits until streaming has stopped
 * at a transaction boundary and the task has recorded it in the committed position; only
 * then does the requester hear that it was accepted, so an accepted request survives a
 * crash.
 */
export class AdhocSnapshotRequests implements SnapshotRequestSignal {
  readonly #connector: string
  readonly #listeners = new Set<() => void>()
  #streaming = false
  #waiting: TakenRequest | null = null

  constructor(connector: string) {
    this.#connector = connector
  }

  get waiting(): boolean {
    return this.#waiting !== null
  }

  onRequest(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Streaming runs: requests are taken from now on. */
  open(): void {
    this.#streaming = true
  }

  /** Streaming stopped: new requests are refused; a waiting one stays for `take`. */
  close(): void {
    this.#streaming = false
  }

  /** Throws CDC_API_CONFLICT when a request would be refused now. */
  checkAccepting(): void {
    const name = this.#connector
    const waiting = this.#waiting
    if (waiting !== null) {
      throw new CdcError(
        'CDC_API_CONFLICT',
        `connector ${name} already has an ad-hoc snapshot of ${waiting.tables.join(', ')} waiting to start; request another once it ran (GET /connectors/${name}/status shows the phase)`,
      )
    }
    if (!this.#streaming) {
      throw new CdcError(
        'CDC_API_CONFLICT',
        `connector ${name} is not streaming right now (it is starting, taking a snapshot or stopping); ad-hoc snapshots are taken only while it streams: wait until GET /connectors/${name}/status shows phase "streaming" and request again`,
      )
    }
  }

  /**
   * Queues a request for checked table names; resolves once the task recorded it, rejects
   * when it is refused or the task stops streaming before recording it.
   */
  submit(tables: readonly string[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // Thrown here, a refusal rejects the promise.
      this.checkAccepting()
      this.#waiting = { tables: [...tables], accepted: resolve, failed: reject }
      for (const listener of this.#listeners) listener()
    })
  }

  /** The waiting request, now the task's to record; null when none waits. */
  take(): TakenRequest | null {
    const waiting = this.#waiting
    this.#waiting = null
    return waiting
  }

  /** Refuses a waiting request: the task ends without having recorded it. */
  abandon(reason: string): void {
    const waiting = this.take()
    waiting?.failed(
      new CdcError(
        'CDC_API_CONFLICT',
        `connector ${this.#connector} stopped streaming before the ad-hoc snapshot of ${waiting.tables.join(', ')} could start (${reason}); it was not taken: request it again once the connector streams`,
      ),
    )
  }
}
