import { isCdcError } from '../../common/errors.ts'
import type { Queryable, TextRow } from './connection.ts'

/** What ReopeningSession needs of a session: MysqlSession, or a fake in unit tests. */
export interface ReopenableSession extends Queryable {
  /** The error that broke the connection while it sat idle; null while it is fine. */
  readonly failure: unknown
  destroy(): void
}

/**
 * A session for reads that come hours apart (the schema reads at each DDL the stream
 * passes). The server closes a connection idle for longer than its wait_timeout (8 h by
 * default), and a network drop may end it too; the dump connection is unaffected, so a run
 * would otherwise fail at the next DDL and start over. A broken session is replaced by a
 * new one, and a query that failed because its connection broke is tried once more on a
 * new one: it must be safe to repeat (reads only).
 */
export class ReopeningSession implements Queryable {
  readonly #open: () => Promise<ReopenableSession>
  #session: ReopenableSession | null
  /** Sessions this one opened (not the first, which belongs to the caller). */
  #owned: ReopenableSession | null = null

  constructor(first: ReopenableSession, open: () => Promise<ReopenableSession>) {
    this.#session = first
    this.#open = open
  }

  async query(sql: string, values: readonly unknown[] = []): Promise<TextRow[]> {
    const session = await this.#current()
    try {
      return await session.query(sql, values)
    } catch (error) {
      if (!isCdcError(error) || error.code !== 'CDC_MYSQL_CONNECTION') throw error
      this.#drop(session)
      return (await this.#current()).query(sql, values)
    }
  }

  /** Drops the sessions this one opened; the first one is closed by its owner. */
  close(): void {
    this.#owned?.destroy()
    this.#owned = null
    this.#session = null
  }

  async #current(): Promise<ReopenableSession> {
    const session = this.#session
    if (session !== null && session.failure === null) return session
    if (session !== null) this.#drop(session)
    const opened = await this.#open()
    this.#session = opened
    this.#owned = opened
    return opened
  }

  #drop(session: ReopenableSession): void {
    if (this.#session === session) this.#session = null
    if (this.#owned === session) {
      this.#owned = null
      session.destroy()
    }
  }
}
