import mysql from 'mysql2'
import type { Connection, ConnectionOptions, TypeCastField } from 'mysql2'
import type { MysqlConnection, SslMode } from './config.ts'
import { classifyMysqlError } from './mysql-errors.ts'
import { describeSql } from './sql-text.ts'

/** A result row of an administrative query: every value as the server's text, or null. */
export type TextRow = Readonly<Record<string, string | null>>

/** What setup checks, the catalog and the snapshot need from a connection; fakes in tests. */
export interface Queryable {
  query(sql: string, values?: readonly unknown[]): Promise<TextRow[]>
}

/** Snapshot rows: each column's exact bytes as the server sent them (text protocol), or null. */
export type RawRow = readonly (Buffer | null)[]

type SslOption = ConnectionOptions['ssl'] | undefined

/** The TLS settings to try, in order, for a `database.ssl.mode`. */
export function sslAttempts(mode: SslMode): SslOption[] {
  const unverified = { rejectUnauthorized: false }
  switch (mode) {
    case 'disabled':
      return [undefined]
    case 'preferred':
      return [unverified, undefined]
    case 'required':
      return [unverified]
    case 'verify_ca':
      return [{ rejectUnauthorized: true, verifyIdentity: false }]
    case 'verify_identity':
      return [{ rejectUnauthorized: true, verifyIdentity: true }]
  }
}

/** Every value as text: numbers keep every digit and dates their zero parts. */
const textCast = (field: TypeCastField): string | null => field.string()
/** Every value as its bytes: text columns arrive in the connection charset (utf8mb4). */
const bytesCast = (field: TypeCastField): Buffer | null => field.buffer()

/** The TLS setting that worked for a connection config, tried first next time. */
const workingSsl = new WeakMap<MysqlConnection, SslOption>()

function options(connection: MysqlConnection, ssl: SslOption): ConnectionOptions {
  return {
    host: connection.host,
    port: connection.port,
    user: connection.user,
    ...(connection.password === null ? {} : { password: connection.password }),
    ...(ssl === undefined ? {} : { ssl }),
    charset: 'UTF8MB4_GENERAL_CI',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    decimalNumbers: false,
    connectTimeout: 10_000,
    typeCast: textCast,
  }
}

function connectOnce(config: ConnectionOptions): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const connection = mysql.createConnection(config)
    connection.connect((error) => {
      if (error === null) resolve(connection)
      else {
        connection.destroy()
        reject(error)
      }
    })
  })
}

/**
 * One connection to the server with the session pinned to what value conversion assumes:
 * UTC for TIMESTAMP text, utf8mb4 results.
 */
export class MysqlSession implements Queryable {
  /** The mysql2 connection, for the binlog stream's own protocol commands. */
  readonly raw: Connection
  #closed = false
  #failure: unknown = null

  private constructor(raw: Connection) {
    this.raw = raw
    // An idle connection that loses its socket emits 'error'; keep it instead of crashing.
    raw.on('error', (error: unknown) => {
      this.#failure = error
    })
  }

  /** Connects with the first TLS setting the server accepts; failures become CdcErrors. */
  static async open(connection: MysqlConnection, purpose: string): Promise<MysqlSession> {
    const known = workingSsl.get(connection)
    const attempts = workingSsl.has(connection) ? [known] : sslAttempts(connection.sslMode)
    let lastError: unknown
    for (const ssl of attempts) {
      try {
        const raw = await connectOnce(options(connection, ssl))
        workingSsl.set(connection, ssl)
        const session = new MysqlSession(raw)
        await session.query("SET SESSION time_zone = '+00:00'")
        return session
      } catch (error) {
        lastError = error
      }
    }
    throw classifyMysqlError(
      lastError,
      `connecting to ${connection.host}:${connection.port} for ${purpose}`,
    )
  }

  get threadId(): number {
    return this.raw.threadId
  }

  /** The error that broke the connection while idle, if any. */
  get failure(): unknown {
    return this.#failure
  }

  query(sql: string, values: readonly unknown[] = []): Promise<TextRow[]> {
    return new Promise((resolve, reject) => {
      this.raw.query({ sql, values: [...values] }, (error, rows) => {
        if (error !== null) reject(classifyMysqlError(error, `running ${describeSql(sql)}`))
        else resolve(Array.isArray(rows) ? (rows as TextRow[]) : [])
      })
    })
  }

  /**
   * Streams a result set row by row, as exact bytes, awaiting `onRow` for each one. The
   * socket is paused while a row is being handled, so a slow consumer holds the server
   * back instead of filling memory.
   */
  streamRows(sql: string, onRow: (row: RawRow) => Promise<void>): Promise<number> {
    return new Promise((resolve, reject) => {
      let count = 0
      let pending: Promise<void> = Promise.resolve()
      let failed = false
      // The consumer's own errors pass through unchanged; the driver's are classified.
      const fail = (error: unknown) => {
        if (failed) return
        failed = true
        reject(error instanceof Error ? error : new Error(String(error)))
      }
      const failQuery = (error: unknown) => {
        fail(classifyMysqlError(error, `reading ${describeSql(sql)}`))
      }
      const query = this.raw.query({ sql, rowsAsArray: true, typeCast: bytesCast })
      query.on('result', (row: unknown) => {
        count++
        this.raw.pause()
        pending = pending
          .then(() => onRow(row as RawRow))
          .then(() => {
            this.raw.resume()
          })
        pending.catch(fail)
      })
      query.on('error', failQuery)
      query.on('end', () => {
        pending.then(() => {
          if (!failed) resolve(count)
        }, fail)
      })
    })
  }

  /**
   * Ends the session politely (COM_QUIT), but gives a busy or broken connection at most
   * two seconds before dropping it.
   */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      new Promise<void>((resolve) => {
        this.raw.end(() => {
          resolve()
        })
      }),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 2_000)
      }),
    ])
    clearTimeout(timer)
    this.destroy()
  }

  /**
   * Drops the connection at once. mysql2's destroy() only half-closes the socket, which a
   * server busy with a binlog dump never notices, so the socket itself is destroyed too.
   */
  destroy(): void {
    this.#closed = true
    this.raw.destroy()
    ;(this.raw as unknown as { stream?: { destroy(): void } }).stream?.destroy()
  }
}
