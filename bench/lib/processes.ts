import { fork, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nowMs } from './measure.ts'

/** Messages between a bench script and the children it forks: a `type` and anything else. */
export interface BenchMessage {
  type: string
}

/**
 * A forked copy of a bench script running one measurement, so that its peak RSS is its own.
 * Messages arrive in order; `next(type)` waits for the next one of that type.
 */
export class BenchChild<M extends BenchMessage> {
  readonly process: ChildProcess
  readonly exited: Promise<number | null>
  readonly #queue: M[] = []
  readonly #waiters: { type: string; resolve: (m: M) => void; reject: (e: Error) => void }[] = []
  #exitCode: number | null | undefined

  constructor(script: string, args: readonly string[]) {
    this.process = fork(script, [...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    this.process.on('message', (message) => {
      this.#queue.push(message as M)
      this.#deliver()
    })
    this.exited = once(this.process, 'exit').then(([code]) => {
      this.#exitCode = code as number | null
      for (const waiter of this.#waiters.splice(0)) {
        waiter.reject(new Error(`bench child exited with ${String(code)} before '${waiter.type}'`))
      }
      return this.#exitCode
    })
  }

  next<T extends M['type']>(type: T): Promise<Extract<M, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.#exitCode !== undefined) {
        reject(new Error(`bench child exited with ${String(this.#exitCode)} before '${type}'`))
        return
      }
      this.#waiters.push({ type, resolve: resolve as (m: M) => void, reject })
      this.#deliver()
    })
  }

  send(message: BenchMessage): void {
    if (this.#exitCode === undefined && this.process.connected) this.process.send(message)
  }

  /** Asks the child to stop, then kills it if it has not exited after `graceMs`. */
  async close(graceMs = 60_000): Promise<void> {
    if (this.#exitCode !== undefined) return
    this.send({ type: 'stop' })
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs)
    try {
      await this.exited
    } finally {
      clearTimeout(timer)
    }
  }

  #deliver(): void {
    for (const waiter of [...this.#waiters]) {
      const index = this.#queue.findIndex((message) => message.type === waiter.type)
      if (index === -1) continue
      const [message] = this.#queue.splice(index, 1)
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
      if (message !== undefined) waiter.resolve(message)
    }
  }
}

/** In a child: sends a message to the parent and resolves once it is handed over. */
export function toParent(message: BenchMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) {
      reject(new Error('not started by a bench script (no IPC channel)'))
      return
    }
    process.send(message, (error: Error | null) => {
      if (error === null) resolve()
      else reject(error)
    })
  })
}

/** In a child: resolves with the next message of this type from the parent. */
export function fromParent(type: string): Promise<BenchMessage> {
  return new Promise((resolve) => {
    const listener = (message: unknown) => {
      if ((message as BenchMessage).type !== type) return
      process.off('message', listener)
      resolve(message as BenchMessage)
    }
    process.on('message', listener)
  })
}

export interface ToolRun {
  ms: number
  /** Peak RSS of the tool as GNU time reports it (%M), in bytes. */
  peakRss: number | null
  code: number | null
  stderr: string
}

/**
 * Runs an external tool under GNU time with stdout to /dev/null, so that nothing but the
 * tool's own reading and decoding is measured.
 */
export async function runTool(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<ToolRun> {
  const dir = mkdtempSync(join(tmpdir(), 'cdc-bench-'))
  const timeFile = join(dir, 'time')
  const devNull = openSync('/dev/null', 'w')
  try {
    const started = nowMs()
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', timeFile, command, ...args], {
      stdio: ['ignore', devNull, 'pipe'],
      env: { ...process.env, ...env },
    })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const [code] = (await once(child, 'exit')) as [number | null]
    const ms = nowMs() - started
    let peakRss: number | null = null
    try {
      const kb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1))
      if (Number.isFinite(kb)) peakRss = kb * 1024
    } catch {
      peakRss = null
    }
    return { ms, peakRss, code, stderr }
  } finally {
    closeSync(devNull)
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * kafkajs 2.2.4 sets timers with negative delays under Node 24 (harmless, the tests pass
 * --disable-warning=TimeoutNegativeWarning); hide only that warning, keep the others.
 */
export function hideTimeoutNegativeWarnings(): void {
  const listeners = process.listeners('warning')
  process.removeAllListeners('warning')
  process.on('warning', (warning) => {
    if (warning.name === 'TimeoutNegativeWarning') return
    for (const listener of listeners) listener(warning)
  })
}
