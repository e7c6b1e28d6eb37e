import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { parseArgs } from 'node:util'

/** A name no other run uses, valid as a topic, a Postgres/MariaDB identifier and a slot name. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`
}

/** `--scale 0.01` runs every size at 1 %; sizes never drop below `min`. */
export function scaled(full: number, scale: number, min = 1): number {
  return Math.max(min, Math.round(full * scale))
}

/** The options every bench script shares, plus its own string options. */
export function benchArgs<const K extends string>(
  extra: readonly K[] = [],
): { scale: number; child: string | undefined; values: Partial<Record<K, string>> } {
  const options: Record<string, { type: 'string' }> = { scale: { type: 'string' } }
  options.child = { type: 'string' }
  for (const name of extra) options[name] = { type: 'string' }
  const { values } = parseArgs({ args: process.argv.slice(2), options, strict: true })
  const scale = Number(values.scale ?? '1')
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`--scale must be > 0, got ${scale}`)
  const picked: Partial<Record<K, string>> = {}
  for (const name of extra) {
    const value = values[name]
    if (typeof value === 'string') picked[name] = value
  }
  const child = values.child
  return { scale, child: typeof child === 'string' ? child : undefined, values: picked }
}

/** Milliseconds since an arbitrary origin, sub-millisecond. */
export function nowMs(): number {
  return performance.now()
}

/** Wall-clock microseconds since the epoch, from the high-resolution clock. */
export function epochMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000)
}

/** The kernel's peak resident set (VmHWM) of a process, in bytes; null when unreadable. */
export function peakRss(pid: number | 'self' = 'self'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status)
    return match?.[1] === undefined ? null : Number(match[1]) * 1024
  } catch {
    return null
  }
}

/**
 * Samples process.memoryUsage().rss every `intervalMs`; `peak` is the highest sample. The
 * kernel's VmHWM (peakRss) is exact; this one can be reset between phases of one process.
 */
export class RssSampler {
  #peak = 0
  readonly #timer: NodeJS.Timeout

  constructor(intervalMs = 50) {
    this.#sample()
    this.#timer = setInterval(() => {
      this.#sample()
    }, intervalMs)
    this.#timer.unref()
  }

  get peak(): number {
    this.#sample()
    return this.#peak
  }

  reset(): void {
    this.#peak = 0
    this.#sample()
  }

  stop(): number {
    clearInterval(this.#timer)
    return this.peak
  }

  #sample(): void {
    const rss = process.memoryUsage().rss
    if (rss > this.#peak) this.#peak = rss
  }
}

export interface Percentiles {
  count: number
  p50: number
  p90: number
  p99: number
  max: number
}

/** Nearest-rank percentiles; all zero for an empty list. */
export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 }
  const sorted = Float64Array.from(values).sort()
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]
  return {
    count: sorted.length,
    p50: at(0.5) ?? 0,
    p90: at(0.9) ?? 0,
    p99: at(0.99) ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
  }
}

export const mib = (bytes: number | null): string =>
  bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MiB`
export const rate = (count: number, ms: number): number => (ms <= 0 ? 0 : (count * 1000) / ms)
export const round = (value: number, digits = 1): number => {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
export const thousands = (value: number): string =>
  Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')

/** Prints rows as an aligned text table. */
export function printTable(
  title: string,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): void {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
  console.log(`\n${title}`)
  console.log(line(headers))
  console.log(widths.map((width) => '-'.repeat(width)).join('  '))
  for (const row of rows) console.log(line(row))
}

/** The machine a figure was measured on, for the summary line. */
export function machine(): { cpus: number; node: string; date: string } {
  return { cpus: availableParallelism(), node: process.version, date: new Date().toISOString() }
}

/** The one-line JSON summary every bench prints last, for collecting figures. */
export function printSummary(bench: string, scale: number, results: unknown): void {
  console.log(
    JSON.stringify({ bench, scale, ...machine(), results }, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    ),
  )
}
