import type { ConnectorConfig } from '../../../connectors/plugin.ts'
import type { Position } from '../../../connectors/ports.ts'
import { postgresConnectorPlugin } from '../../../connectors/postgres/postgres-plugin.ts'
import { errorMessage } from '../../../common/errors.ts'
import type { ChangeEvent, RowChangeEvent } from '../../../envelope/change-event.ts'
import type { ConnectValue } from '../../../envelope/connect-schema.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { MemoryMonitor, MemorySink, memoryContext } from './memory-sink.ts'

/** One run of the connector task against the real server, stoppable like the runtime does. */
export class ConnectorRun {
  readonly sink: MemorySink
  readonly monitor = new MemoryMonitor()
  readonly done: Promise<void>
  readonly #abort = new AbortController()
  /** Settles with the run's error (or null) without ever rejecting. */
  readonly outcome: Promise<unknown>

  constructor(
    name: string,
    config: ConnectorConfig,
    from: Position | null,
    sink = new MemorySink(),
  ) {
    this.sink = sink
    const task = postgresConnectorPlugin.create(config, memoryContext(name, sink, this.monitor))
    this.done = task.run(from, this.#abort.signal)
    this.outcome = this.done.then(
      () => null,
      (error: unknown) => error,
    )
  }

  async stop(): Promise<void> {
    this.#abort.abort()
    await this.done
  }

  /** Waits until the sink holds at least `count` events. */
  async events(count: number, timeoutMs = 20_000): Promise<ChangeEvent[]> {
    return waitFor(
      `${count} events`,
      async () => {
        if (this.sink.events.length >= count) return this.sink.events
        const ended = await Promise.race([this.outcome, Promise.resolve(undefined)])
        if (ended !== undefined)
          throw new Error(
            `run ended with ${this.sink.events.length} events: ${errorMessage(ended)}`,
          )
        return undefined
      },
      { timeoutMs },
    )
  }

  /** Waits until streaming is up, so that changes made from now on are streamed. */
  async streaming(): Promise<void> {
    await waitFor('streaming phase', async () => {
      const failed = await Promise.race([this.outcome, Promise.resolve(undefined)])
      if (failed !== undefined) throw new Error(`run ended: ${errorMessage(failed)}`)
      return this.monitor.phases.includes('streaming') ? true : undefined
    })
  }
}

export function rows(events: readonly ChangeEvent[]): RowChangeEvent[] {
  return events.filter((event): event is RowChangeEvent => event.kind === 'row')
}

/** A compact view of row events for assertions: op and the id column of after/before. */
export function summary(events: readonly ChangeEvent[], key = 'id'): string[] {
  return rows(events).map(
    (event) => `${event.op}:${display((event.after ?? event.before)?.[key] ?? '?')}`,
  )
}

/** A value as text for assertions: numbers, bigints and strings as written, the rest as JSON. */
export function display(value: ConnectValue | undefined): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint')
    return String(value)
  if (value === undefined) return 'undefined'
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'bigint' ? String(inner) : inner,
  )
}
