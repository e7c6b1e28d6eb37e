import type { Client, ClientConfig } from 'pg'
import { LogicalReplicationService } from 'pg-logical-replication'
import { CdcError } from '../../common/errors.ts'
import { quoteIdent, quoteLiteral } from './connection.ts'
import { formatLsn, parseLsn, type Lsn } from './lsn.ts'
import { decodePgoutput } from './pgoutput/decoder.ts'
import type { PgoutputMessage } from './pgoutput/messages.ts'
import { classifyPgError } from './pg-errors.ts'
import { standbyStatusUpdate } from './standby-status.ts'

export type StreamItem =
  { kind: 'message'; lsn: Lsn; message: PgoutputMessage } | { kind: 'keepalive'; walEnd: Lsn }

export interface ReplicationStreamOptions {
  /** A replication connection config (see connection.ts), TLS already chosen. */
  client: ClientConfig
  slotName: string
  publicationNames: readonly string[]
  /** Always explicit: without it the library would resume at the last *received* LSN. */
  startLsn: Lsn
  /** How often the confirmed position is re-sent, well under wal_sender_timeout. */
  statusIntervalMs: number
  /** Messages queued before the socket is paused. */
  highWaterMark?: number
}

type Decoded = PgoutputMessage | { tag: 'decode-error'; error: unknown }

/**
 * Our own pgoutput plugin for the library (its AbstractPlugin is not exported; the shape is): it sends START_REPLICATION with the options we
 * choose and decodes with our decoder. `parse` runs inside the socket's data handler, so
 * it must never throw; a decode failure travels as a value and fails the stream.
 */
class PgoutputTransport {
  readonly options: { publicationNames: readonly string[]; startLsn: Lsn }

  constructor(options: { publicationNames: readonly string[]; startLsn: Lsn }) {
    this.options = options
  }

  get name(): string {
    return 'pgoutput'
  }

  start(client: Client, slotName: string): Promise<unknown> {
    const publications = this.options.publicationNames.map(quoteIdent).join(',')
    const sql = `START_REPLICATION SLOT ${quoteIdent(slotName)} LOGICAL ${formatLsn(this.options.startLsn)} (proto_version '1', publication_names ${quoteLiteral(publications)}, messages 'true')`
    return client.query(sql)
  }

  parse(buffer: Buffer): Decoded {
    try {
      return decodePgoutput(buffer)
    } catch (error) {
      return { tag: 'decode-error', error }
    }
  }
}

/** The library's private connection: the only way to pause the socket and to send exact LSNs. */
interface ConnectionInternals {
  stream: { pause(): void; resume(): void }
  sendCopyFromChunk(chunk: Buffer): void
}

function internals(service: LogicalReplicationService): ConnectionInternals {
  const connection = (service as unknown as { _connection?: Partial<ConnectionInternals> | null })
    ._connection
  if (
    typeof connection?.sendCopyFromChunk !== 'function' ||
    typeof connection.stream?.pause !== 'function' ||
    typeof connection.stream.resume !== 'function'
  ) {
    throw new CdcError(
      'CDC_PG_QUERY_FAILED',
      'pg-logical-replication no longer exposes its connection (_connection.stream, sendCopyFromChunk); the installed version is not the one this connector was written for (2.5.0)',
    )
  }
  return connection as ConnectionInternals
}

/**
 * One START_REPLICATION session over pg-logical-replication, used for transport only. The
 * library's acknowledgement is off (auto false, no timer): it confirms LSN + 1, and its
 * timer confirms what was merely received. We confirm exactly what `confirm` is given.
 * Items reach the handler one at a time, in arrival order, keepalives included; the socket
 * is paused while too many wait, so memory stays flat however large a transaction is.
 */
export class ReplicationStream {
  readonly #options: ReplicationStreamOptions
  readonly #service: LogicalReplicationService
  readonly #queue: StreamItem[] = []
  #confirmed: Lsn = 0n
  #started = false
  #stopping = false
  /** stop() was called: errors from tearing the connection down are the expected end. */
  #stopRequested = false
  #paused = false
  #draining = false
  #settle: ((error?: unknown) => void) | null = null
  #timer: NodeJS.Timeout | null = null
  #handler: ((item: StreamItem) => Promise<void>) | null = null

  constructor(options: ReplicationStreamOptions) {
    this.#options = options
    // The stored position is durable, so re-sending it keeps the walsender from timing out
    // while the first transaction is still being delivered.
    this.#confirmed = options.startLsn
    this.#service = new LogicalReplicationService(options.client, {
      acknowledge: { auto: false, timeoutSeconds: 0 },
      flowControl: { enabled: false },
    })
  }

  /** The last LSN sent as flushed. */
  get confirmed(): Lsn {
    return this.#confirmed
  }

  /**
   * Streams until `stop` (resolves) or a failure of the connection, the decoder or the
   * handler (rejects with a CdcError).
   */
  run(handler: (item: StreamItem) => Promise<void>): Promise<void> {
    this.#handler = handler
    return new Promise<void>((resolve, reject) => {
      this.#settle = (error?: unknown) => {
        this.#settle = null
        this.#clearTimer()
        if (error === undefined) resolve()
        else reject(classifyPgError(error, `streaming from slot ${this.#options.slotName}`))
      }
      const service = this.#service
      service.on('error', (error: unknown) => {
        void this.#fail(error)
      })
      service.on('start', () => {
        this.#started = true
        this.#timer = setInterval(() => {
          this.#sendStatus(false)
        }, this.#options.statusIntervalMs)
        this.#timer.unref()
      })
      service.on('data', (lsn: string, message: Decoded) => {
        if (message.tag === 'decode-error') {
          void this.#fail(message.error)
          return
        }
        this.#enqueue({ kind: 'message', lsn: parseLsn(lsn), message })
      })
      service.on('heartbeat', (walEnd: string, _time: number, replyRequested: boolean) => {
        // Answered at once with what is already confirmed, even while the queue is paused,
        // so a slow sink never makes the walsender time out.
        if (replyRequested) this.#sendStatus(false)
        this.#enqueue({ kind: 'keepalive', walEnd: parseLsn(walEnd) })
      })
      const plugin = new PgoutputTransport({
        publicationNames: this.#options.publicationNames,
        startLsn: this.#options.startLsn,
      })
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- the library does not export AbstractPlugin; subscribe() only calls start() and parse()
      service.subscribe(plugin, this.#options.slotName, formatLsn(this.#options.startLsn)).then(
        () => {
          if (this.#stopping) this.#settle?.()
          else
            void this.#fail(
              new CdcError('CDC_PG_CONNECTION', 'the server ended the replication stream', {
                retriable: true,
              }),
            )
        },
        (error: unknown) => {
          void this.#fail(error)
        },
      )
    })
  }

  /** Records `lsn` as flushed and tells the server now; never moves backwards. */
  confirm(lsn: Lsn): void {
    if (lsn <= this.#confirmed) return
    this.#confirmed = lsn
    this.#sendStatus(false)
  }

  /** Asks the server for a keepalive now, so an idle stream learns the current WAL end. */
  ping(): void {
    this.#sendStatus(true)
  }

  /** Ends the stream with this error (e.g. the sink failed a commit). */
  fail(error: unknown): Promise<void> {
    return this.#fail(error)
  }

  async stop(): Promise<void> {
    if (this.#stopping) return
    this.#stopRequested = true
    this.#stopping = true
    this.#queue.length = 0
    this.#clearTimer()
    await this.#service.destroy().catch(() => undefined)
    this.#settle?.()
  }

  #enqueue(item: StreamItem): void {
    if (this.#stopping) return
    this.#queue.push(item)
    if (!this.#paused && this.#queue.length >= (this.#options.highWaterMark ?? 256)) {
      this.#paused = true
      try {
        internals(this.#service).stream.pause()
      } catch (error) {
        void this.#fail(error)
      }
    }
    if (!this.#draining) void this.#drain()
  }

  async #drain(): Promise<void> {
    this.#draining = true
    try {
      for (
        let item = this.#queue.shift();
        item !== undefined && !this.#stopping;
        item = this.#queue.shift()
      ) {
        await this.#handler?.(item)
        if (this.#paused && this.#queue.length <= (this.#options.highWaterMark ?? 256) / 2) {
          this.#paused = false
          internals(this.#service).stream.resume()
        }
      }
    } catch (error) {
      await this.#fail(error)
    } finally {
      this.#draining = false
    }
  }

  #sendStatus(replyRequested: boolean): void {
    if (!this.#started || this.#stopping) return
    try {
      internals(this.#service).sendCopyFromChunk(
        Buffer.from(standbyStatusUpdate(this.#confirmed, Date.now(), replyRequested)),
      )
    } catch (error) {
      void this.#fail(error)
    }
  }

  async #fail(error: unknown): Promise<void> {
    const settle = this.#settle
    if (settle === null || this.#stopRequested) return
    this.#settle = null
    this.#stopping = true
    this.#queue.length = 0
    this.#clearTimer()
    await this.#service.destroy().catch(() => undefined)
    settle(error)
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearInterval(this.#timer)
    this.#timer = null
  }
}
