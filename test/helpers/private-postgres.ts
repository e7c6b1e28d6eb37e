// A PostgreSQL server of a test's own, in a temporary directory on a free port, for tests
// that must stop or restart the database (the shared server on :5432 must stay up for
// everyone else). Always torn down: by `destroy()`, by an exit hook, and, should the test
// process be killed, by a watchdog process.
import { execFileSync, spawn } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

export interface PrivatePostgres {
  host: string
  port: number
  user: string
  database: string
  /** `pg_ctl restart -m fast`: sessions are ended, a shutdown checkpoint is written. */
  restart(): void
  /** `pg_ctl stop -m fast`; `start()` brings it back on the same port. */
  stop(): void
  start(): void
  /** A client with values as text, like the connector's. */
  connect(): Promise<pg.Client>
  /** Stops the server (immediately) and removes its directory; safe to call twice. */
  destroy(): void
}

/** Settings the connector needs, plus speed over durability (the server is thrown away). */
const baseSettings: Readonly<Record<string, string>> = {
  wal_level: 'logical',
  max_replication_slots: '10',
  max_wal_senders: '10',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
}

/**
 * The directory holding initdb and pg_ctl: `pg_config --bindir` when it has them (Debian's
 * pg_config names the newest installed major), else the newest /usr/lib/postgresql/<n>/bin,
 * else whatever PATH finds.
 */
function binDir(): string {
  const candidates: string[] = []
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim())
  } catch {
    // pg_config comes with libpq-dev, which a server-only machine may lack.
  }
  const debianRoot = '/usr/lib/postgresql'
  if (existsSync(debianRoot)) {
    const majors = readdirSync(debianRoot)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a))
    candidates.push(...majors.map((major) => join(debianRoot, major, 'bin')))
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')))
  if (found !== undefined) return found
  try {
    const initdb = execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim()
    if (initdb !== '') return initdb.slice(0, initdb.lastIndexOf('/'))
  } catch {
    // Reported below.
  }
  throw new Error(
    'no PostgreSQL server binaries (initdb, pg_ctl) found via pg_config, /usr/lib/postgresql/*/bin or PATH; install the postgresql package',
  )
}

/** PostgreSQL refuses to run as root; then everything runs as the `postgres` OS user. */
function osUser(): { uid: number; gid: number; wrap: string[] } | null {
  if (process.getuid?.() !== 0) return null
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    return { uid, gid, wrap: ['runuser', '-u', 'postgres', '--'] }
  } catch (cause) {
    throw new Error(
      'running as root, but there is no "postgres" OS user to run a private PostgreSQL server as; install the postgresql package or run the tests as another user',
      { cause },
    )
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => {
        resolve(port)
      })
    })
  })
}

/** Initializes and starts a server; `settings` are added to postgresql.conf. */
export async function startPrivatePostgres(
  settings: Readonly<Record<string, string>> = {},
): Promise<PrivatePostgres> {
  const bin = binDir()
  const user = osUser()
  const dir = mkdtempSync(join(tmpdir(), 'cdc-pg-'))
  const data = join(dir, 'data')
  const log = join(dir, 'server.log')
  if (user !== null) chownSync(dir, user.uid, user.gid)
  const run = (tool: string, args: readonly string[]) => {
    const command = [...(user?.wrap ?? []), join(bin, tool), ...args]
    try {
      execFileSync(command[0] ?? tool, command.slice(1), { stdio: 'pipe', timeout: 120_000 })
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? ''
      let serverLog = ''
      try {
        serverLog = execFileSync('tail', ['-n', '20', log], { encoding: 'utf8' })
      } catch {
        // No log yet.
      }
      throw new Error(`${tool} ${args.join(' ')} failed: ${stderr}\n${serverLog}`, {
        cause: error,
      })
    }
  }
  // Should this process die without cleaning up (SIGKILL, a runner's SIGTERM), a watchdog
  // outside it stops the server and removes its directory.
  const stopCommand = [
    ...(user?.wrap ?? []),
    join(bin, 'pg_ctl'),
    '-D',
    data,
    '-m',
    'immediate',
    'stop',
  ]
  const watchdog = spawn(
    'sh',
    [
      '-c',
      `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; "$@" >/dev/null 2>&1; rm -rf '${dir}'`,
      'watchdog',
      ...stopCommand,
    ],
    { detached: true, stdio: 'ignore' },
  )
  watchdog.unref()
  let destroyed = false
  const destroy = () => {
    if (destroyed) return
    destroyed = true
    process.removeListener('exit', destroy)
    if (watchdog.pid !== undefined) {
      try {
        process.kill(-watchdog.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    try {
      if (existsSync(join(data, 'postmaster.pid')))
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  process.on('exit', destroy)
  try {
    run('initdb', [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ])
    const port = await freePort()
    const conf = {
      ...baseSettings,
      ...settings,
      port: String(port),
      listen_addresses: "'127.0.0.1'",
      unix_socket_directories: `'${dir}'`,
    }
    writeFileSync(
      join(data, 'postgresql.auto.conf'),
      Object.entries(conf)
        .map(([name, value]) => `${name} = ${value}\n`)
        .join(''),
    )
    if (user !== null) chownSync(join(data, 'postgresql.auto.conf'), user.uid, user.gid)
    const start = () => {
      run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '120', 'start'])
    }
    start()
    return {
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
      restart: () => {
        run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '120', '-m', 'fast', 'restart'])
      },
      stop: () => {
        run('pg_ctl', ['-D', data, '-w', '-t', '120', '-m', 'fast', 'stop'])
      },
      start,
      connect: async () => {
        const client = new pg.Client({
          host: '127.0.0.1',
          port,
          user: 'postgres',
          database: 'postgres',
          types: { getTypeParser: () => (value: string) => value },
        })
        client.on('error', () => undefined)
        await client.connect()
        return client
      },
      destroy,
    }
  } catch (error) {
    destroy()
    throw error
  }
}
