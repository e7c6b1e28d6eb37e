// A MariaDB server of one test's own, in a temporary directory on a free port, for tests
// that restart the database or purge its binlog: doing that to the shared server would
// break every other test running against it. Configured like scripts/services.sh
// configures the shared one (row binlog, full row image and metadata, GTIDs).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import mysql from 'mysql2/promise'
import { waitFor } from './wait-for.ts'

// Debian and Ubuntu put the server in /usr/sbin, which is not on every user's PATH;
// tarball and Homebrew installs use the others.
const extraDirs = [
  '/usr/sbin',
  '/usr/local/sbin',
  '/usr/bin',
  '/usr/local/bin',
  '/usr/local/mysql/bin',
  '/usr/local/mariadb/bin',
  '/opt/homebrew/bin',
  '/opt/homebrew/sbin',
]

/** The first of `names` that is an executable in PATH or the usual install directories. */
function findBinary(envName: string, names: readonly string[]): string {
  const fromEnv = process.env[envName]
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs]
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name)
      try {
        accessSync(candidate, constants.X_OK)
        return candidate
      } catch {
        // Not here; try the next directory.
      }
    }
  }
  throw new Error(
    `none of ${names.join(', ')} found in PATH or ${extraDirs.join(', ')}: install mariadb-server, or set ${envName}`,
  )
}

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  if (address === null || typeof address === 'string') throw new Error('no TCP port')
  return address.port
}

const isRoot = process.getuid?.() === 0

export interface PrivateMariadbOptions {
  /** Extra mariadbd options, e.g. `--max-binlog-size=4096`. */
  args?: readonly string[]
}

/**
 * The server and its data directory; `destroy` kills it and removes the directory, and
 * so does the exit of the test process if a test never got to call it.
 */
export class PrivateMariadb {
  readonly host = '127.0.0.1'
  readonly user = 'root'
  readonly port: number
  readonly #dir: string
  readonly #args: readonly string[]
  #child: ChildProcess | null = null
  #exited: Promise<unknown> = Promise.resolve()
  readonly #onExit = () => {
    this.#child?.kill('SIGKILL')
    rmSync(this.#dir, { recursive: true, force: true })
  }

  private constructor(dir: string, port: number, args: readonly string[]) {
    this.#dir = dir
    this.port = port
    this.#args = args
    process.on('exit', this.#onExit)
  }

  /** Initializes a data directory and starts the server on it. */
  static async create(options: PrivateMariadbOptions = {}): Promise<PrivateMariadb> {
    // Short: the socket path must stay under the 108 bytes a Unix socket name may have.
    const dir = mkdtempSync(join(tmpdir(), 'cdc-mdb-'))
    const server = new PrivateMariadb(dir, await freePort(), options.args ?? [])
    try {
      const install = spawnSync(
        findBinary('MARIADB_INSTALL_DB', ['mariadb-install-db', 'mysql_install_db']),
        [
          '--no-defaults',
          `--datadir=${join(dir, 'data')}`,
          '--auth-root-authentication-method=normal',
          '--skip-test-db',
          ...(isRoot ? ['--user=root'] : []),
        ],
        { encoding: 'utf8', timeout: 120_000 },
      )
      if (install.status !== 0) {
        throw new Error(
          `mariadb-install-db failed (${String(install.status ?? install.error)}): ${install.stderr.slice(-2000)}`,
        )
      }
      await server.start()
      return server
    } catch (error) {
      await server.destroy()
      throw error
    }
  }

  get running(): boolean {
    return this.#child !== null
  }

  /** Starts the server (again, after stop()) and waits until it accepts logins. */
  async start(): Promise<void> {
    if (this.#child !== null) return
    const dir = this.#dir
    const child = spawn(
      findBinary('MARIADBD', ['mariadbd', 'mysqld']),
      [
        '--no-defaults',
        // The server refuses to run as root unless told to.
        ...(isRoot ? ['--user=root'] : []),
        `--datadir=${join(dir, 'data')}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'sock')}`,
        `--pid-file=${join(dir, 'pid')}`,
        `--log-error=${join(dir, 'error.log')}`,
        '--server-id=1',
        '--log-bin=mysql-bin',
        '--binlog-format=ROW',
        '--binlog-row-image=FULL',
        '--binlog-row-metadata=FULL',
        '--binlog-annotate-row-events=ON',
        '--log-slave-updates=ON',
        '--gtid-strict-mode=ON',
        '--innodb-buffer-pool-size=32M',
        '--max-connections=100',
        ...this.#args,
      ],
      { stdio: 'ignore' },
    )
    this.#child = child
    let exitCode: number | null | undefined
    this.#exited = once(child, 'exit').then(([code]) => {
      exitCode = code as number | null
      if (this.#child === child) this.#child = null
    })
    await waitFor(
      `the private MariaDB on port ${this.port} to accept logins`,
      async () => {
        if (exitCode !== undefined) {
          throw new Error(
            `mariadbd exited with ${String(exitCode)}: ${this.errorLog().slice(-2000)}`,
          )
        }
        const connection = await this.connect()
        await connection.end()
        return true
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    )
  }

  /**
   * Stops the server: SIGTERM is a clean shutdown, SIGKILL a crash (committed
   * transactions survive it: InnoDB and the binlog recover on the next start).
   */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.#child
    if (child === null) return
    child.kill(signal)
    await this.#exited
  }

  /** A plain connection (multi-statement, numbers and dates as strings). */
  connect(database?: string): Promise<mysql.Connection> {
    return mysql.createConnection({
      host: this.host,
      port: this.port,
      user: this.user,
      ...(database === undefined ? {} : { database }),
      charset: 'UTF8MB4_GENERAL_CI',
      multipleStatements: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
    })
  }

  errorLog(): string {
    try {
      return readFileSync(join(this.#dir, 'error.log'), 'utf8')
    } catch {
      return ''
    }
  }

  /** Kills the server and removes its directory. */
  async destroy(): Promise<void> {
    await this.stop('SIGKILL')
    process.off('exit', this.#onExit)
    rmSync(this.#dir, { recursive: true, force: true })
  }
}
