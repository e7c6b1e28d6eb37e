import { mariadbConnectorPlugin } from '../../../connectors/mysql/mysql-plugin.ts'
import { MysqlTask } from '../../../connectors/mysql/mysql-task.ts'
import type { ConnectorConfig } from '../../../connectors/plugin.ts'
import type { Position } from '../../../connectors/ports.ts'
import { errorMessage } from '../../../common/errors.ts'
import type { ChangeEvent, RowChangeEvent } from '../../../envelope/change-event.ts'
import type { ConnectValue } from '../../../envelope/connect-schema.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { CollectingMonitor, CollectingSink, collectingContext } from './collecting-sink.ts'

/** One run of the connector task against the real server, stoppable like the runtime does. */
export class ConnectorRun {
  readonly sink: CollectingSink
  readonly monitor = new CollectingMonitor()
  readonly task: MysqlTask
  readonly done: Promise<void>
  /** Settles with the run's error (or null) without ever rejecting. */
  readonly outcome: Promise<unknown>
  readonly #abort = new AbortController()

  constructor(
    name: string,
    config: ConnectorConfig,
    from: Position | null,
    sink = new CollectingSink(),
  ) {
    this.sink = sink
    const task = mariadbConnectorPlugin.create(config, collectingContext(name, sink, this.monitor))
    if (!(task instanceof MysqlTask)) throw new Error('the plugin did not create a MysqlTask')
    this.task = task
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

  async #ended(): Promise<unknown> {
    return Promise.race([this.outcome, Promise.resolve(undefined)])
  }

  /** Waits until the sink holds at least `count` events. */
  async events(count: number, timeoutMs = 20_000): Promise<ChangeEvent[]> {
    return waitFor(
      `${count} events`,
      async () => {
        if (this.sink.events.length >= count) return this.sink.events
        const ended = await this.#ended()
        if (ended !== undefined) {
          throw new Error(
            `run ended with ${this.sink.events.length} events: ${errorMessage(ended)}`,
          )
        }
        return undefined
      },
      { timeoutMs },
    )
  }

  /** Waits until streaming is up, so that changes made from now on are streamed. */
  async streaming(): Promise<void> {
    await waitFor('streaming phase', async () => {
      const ended = await this.#ended()
      if (ended !== undefined) throw new Error(`run ended: ${errorMessage(ended)}`)
      return this.monitor.phases.includes('streaming') ? true : undefined
    })
  }
}

export function rows(events: readonly ChangeEvent[]): RowChangeEvent[] {
  return events.filter((event): event is RowChangeEvent => event.kind === 'row')
}

/** op:id for each row event, for compact assertions. */
export function summary(events: readonly ChangeEvent[], key = 'id'): string[] {
  return rows(events).map((event) => `${event.op}:${display((event.after ?? event.before)?.[key])}`)
}

export function display(value: ConnectValue | undefined): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    return String(value)
  }
  if (value === undefined) return 'undefined'
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'bigint' ? String(inner) : inner,
  )
}
