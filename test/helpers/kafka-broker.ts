// Freezing the shared Kafka broker (SIGSTOP, then SIGCONT) to simulate an outage without
// restarting it. Other tests use the same broker, so a freeze is short and always ends:
// a detached watchdog process sends SIGCONT after the limit even if this process dies.
import { execFileSync, spawn } from 'node:child_process'
import { testEnv } from './env.ts'

/** The longest freeze allowed: other agents' tests run against the same broker. */
export const maxFreezeMs = 20_000

/** The pid of the process listening on the (first) broker's port. */
export function brokerPid(): number {
  const port = testEnv.kafkaBrokers[0]?.split(':')[1] ?? '9092'
  const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`]).toString()
  const match = /pid=(\d+)/.exec(out)
  if (match?.[1] === undefined) throw new Error(`no process listens on Kafka's port ${port}`)
  return Number(match[1])
}

export interface FrozenBroker {
  pid: number
  /** When SIGSTOP was sent (Date.now()). */
  frozenAt: number
  /** Sends SIGCONT now and stops the watchdog; safe to call twice. */
  thaw(): void
}

/**
 * Freezes the broker for at most `limitMs` (≤ maxFreezeMs): a watchdog outside this process
 * thaws it then, whatever happens here; `thaw()` does it earlier.
 */
export function freezeBroker(limitMs: number): FrozenBroker {
  if (limitMs > maxFreezeMs) {
    throw new Error(`a freeze of ${limitMs} ms is longer than the ${maxFreezeMs} ms allowed`)
  }
  const pid = brokerPid()
  const watchdog = spawn('sh', ['-c', `sleep ${Math.ceil(limitMs / 1000)}; kill -CONT ${pid}`], {
    detached: true,
    stdio: 'ignore',
  })
  watchdog.unref()
  let thawed = false
  const thaw = () => {
    if (thawed) return
    thawed = true
    process.removeListener('exit', thaw)
    try {
      process.kill(pid, 'SIGCONT')
    } finally {
      if (watchdog.pid !== undefined) {
        try {
          process.kill(-watchdog.pid, 'SIGKILL')
        } catch {
          // The watchdog already ran.
        }
      }
    }
  }
  process.on('exit', thaw)
  process.kill(pid, 'SIGSTOP')
  return { pid, frozenAt: Date.now(), thaw }
}
