import type { KafkaClient } from '../kafka/kafka-client.ts'
import type { KafkaProducer } from '../kafka/kafka-producer.ts'
import type { TopicReader } from '../kafka/topic-reader.ts'

export type ConnectorConfigMap = Readonly<Record<string, string>>

/** What the user asked a connector to be: Connect's target states. */
export const targetStates = ['STARTED', 'PAUSED', 'STOPPED'] as const
export type TargetState = (typeof targetStates)[number]

export type ConnectorRequest =
  { type: 'restart'; onlyFailed: boolean } | { type: 'snapshot'; tables: readonly string[] }

export type ConfigChange = { kind: 'config' } | { kind: 'request'; request: ConnectorRequest }

export interface StoredConnector {
  name: string
  config: ConnectorConfigMap
  target: TargetState
}

/**
 * Connector configs and target states in a compacted topic, as Kafka Connect keeps them
 * (`connector-<name>`, `target-state-<name>`), so every service instance and every restart
 * sees the same set. Writes are read back before they resolve (read-your-writes).
 */
export class ConfigStore {
  readonly topic: string
  readonly #kafka: KafkaClient
  readonly #configs = new Map<string, ConnectorConfigMap>()
  readonly #targets = new Map<string, TargetState>()
  readonly #listeners = new Set<(name: string, change: ConfigChange) => void>()
  #reader: TopicReader | undefined
  #producer: KafkaProducer | undefined
  // Requests read while replaying history were handled (or lost with their instance)
  // long ago; only requests that arrive once the store is live are acted on.
  #live = false

  constructor(kafka: KafkaClient, topic: string) {
    this.#kafka = kafka
    this.topic = topic
  }

  async start(replicationFactor: number): Promise<void> {
    await this.#kafka.admin.ensureTopic({
      name: this.topic,
      partitions: 1,
      replicationFactor,
      configs: { 'cleanup.policy': 'compact' },
    })
    this.#producer = this.#kafka.producer()
    this.#reader = this.#kafka.reader(this.topic)
    await this.#reader.start((record) => {
      const key = record.key?.toString()
      if (key === undefined) return
      const value = record.value === null ? null : (JSON.parse(record.value.toString()) as unknown)
      this.#apply(key, value)
    })
    this.#live = true
  }

  /** Called with a connector's name whenever its config, target state or requests change. */
  onChange(listener: (name: string, change: ConfigChange) => void): void {
    this.#listeners.add(listener)
  }

  names(): string[] {
    return [...this.#configs.keys()].sort()
  }

  get(name: string): StoredConnector | undefined {
    const config = this.#configs.get(name)
    if (config === undefined) return undefined
    return { name, config, target: this.#targets.get(name) ?? 'STARTED' }
  }

  async putConfig(name: string, config: ConnectorConfigMap): Promise<void> {
    await this.#write(`connector-${name}`, { properties: config })
  }

  async putTarget(name: string, state: TargetState): Promise<void> {
    await this.#write(`target-state-${name}`, { state })
  }

  /**
   * Asks the instance that runs the connector to act (restart it, snapshot tables): any
   * instance may take the HTTP call, only the owner acts, as Connect's restart records do.
   */
  async request(name: string, request: ConnectorRequest): Promise<void> {
    await this.#write(`request-${name}`, { ...request, at: Date.now() })
  }

  async remove(name: string): Promise<void> {
    await this.#write(`target-state-${name}`, null)
    await this.#write(`connector-${name}`, null)
  }

  /** Catches up with what other instances wrote. */
  async refresh(): Promise<void> {
    await this.#reader?.catchUp()
  }

  async close(): Promise<void> {
    await this.#reader?.close()
    await this.#producer?.close()
  }

  async #write(key: string, value: unknown): Promise<void> {
    if (this.#producer === undefined) throw new Error('ConfigStore used before start')
    await this.#producer.send([
      {
        topic: this.topic,
        key: Buffer.from(key),
        value: value === null ? null : Buffer.from(JSON.stringify(value)),
      },
    ])
    await this.refresh()
  }

  #apply(key: string, value: unknown): void {
    let name: string | undefined
    let change: ConfigChange = { kind: 'config' }
    if (key.startsWith('request-')) {
      name = key.slice('request-'.length)
      if (value === null || !this.#live) return
      change = { kind: 'request', request: value as ConnectorRequest }
    } else if (key.startsWith('connector-')) {
      name = key.slice('connector-'.length)
      const properties = (value as { properties?: ConnectorConfigMap } | null)?.properties
      if (properties === undefined) this.#configs.delete(name)
      else this.#configs.set(name, properties)
    } else if (key.startsWith('target-state-')) {
      name = key.slice('target-state-'.length)
      const state = (value as { state?: TargetState } | null)?.state
      if (state === undefined) this.#targets.delete(name)
      else this.#targets.set(name, state)
    }
    if (name !== undefined) for (const listener of this.#listeners) listener(name, change)
  }
}
