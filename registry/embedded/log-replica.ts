import { errorMessage } from '../../common/errors.ts'
import { registryErrors, type RegistryError } from './registry-error.ts'
import { RegistryState } from './registry-state.ts'
import type { SchemaLog } from './schema-log.ts'

/**
 * A RegistryState kept in step with a SchemaLog. Operations run one at a time, each after
 * reading the log to its end, so they see what other instances wrote. Log failures become
 * Confluent's 50001 store error (retriable); an entry the replay cannot read stops the
 * replica for good, since the entries after it were consumed but never applied.
 */
export class LogReplica {
  readonly state = new RegistryState()
  readonly #log: SchemaLog
  #queue: Promise<unknown> = Promise.resolve()
  #broken: RegistryError | undefined

  constructor(log: SchemaLog) {
    this.#log = log
  }

  run<T>(operation: () => T | Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      await this.catchUp()
      return operation()
    })
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }

  async catchUp(): Promise<void> {
    if (this.#broken !== undefined) throw this.#broken
    let entries
    try {
      entries = await this.#log.readNew()
    } catch (error) {
      throw registryErrors.store(
        `The registry cannot read its schema log: ${errorMessage(error)}`,
        error,
      )
    }
    for (const entry of entries) {
      try {
        this.state.apply(entry)
      } catch (error) {
        this.#broken = registryErrors.store(
          `The registry's schema log is unreadable, so it serves nothing until restarted: ${errorMessage(error)}`,
          error,
        )
        throw this.#broken
      }
    }
  }

  async append(key: string, value: string | null): Promise<void> {
    try {
      await this.#log.append(key, value)
    } catch (error) {
      throw registryErrors.store(
        `The registry cannot write to its schema log: ${errorMessage(error)}`,
        error,
      )
    }
  }
}
