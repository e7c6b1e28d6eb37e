import type { KafkaAdmin } from './kafka-admin.ts'

/** What kind of data a topic holds decides how Kafka retains it. */
export type TopicKind = 'changes' | 'events'

export interface TopicCreationSettings {
  /** Kafka Connect's `topic.creation.default.partitions`. */
  partitions: number
  /** Kafka Connect's `topic.creation.default.replication.factor`. */
  replicationFactor: number
  /** `topic.creation.default.cleanup.policy` of change topics (default compact). */
  changesCleanupPolicy?: 'compact' | 'delete'
}

/**
 * Creates topics the first time a record is written to them. Change topics are compacted
 * (the latest row per key survives, deletes end in tombstones); event topics such as
 * `<prefix>.transaction` are not keyed by row and keep the broker's delete policy.
 */
export class TopicPolicy {
  readonly #admin: KafkaAdmin
  readonly #settings: TopicCreationSettings
  readonly #known = new Map<string, Promise<boolean>>()

  constructor(admin: KafkaAdmin, settings: TopicCreationSettings) {
    this.#admin = admin
    this.#settings = settings
  }

  /** Resolves once the topic exists; concurrent calls for one topic share one request. */
  async ensure(topic: string, kind: TopicKind): Promise<void> {
    let pending = this.#known.get(topic)
    if (pending === undefined) {
      pending = this.#admin.ensureTopic({
        name: topic,
        partitions: this.#settings.partitions,
        replicationFactor: this.#settings.replicationFactor,
        configs:
          kind === 'changes'
            ? { 'cleanup.policy': this.#settings.changesCleanupPolicy ?? 'compact' }
            : {},
      })
      this.#known.set(topic, pending)
      // A failed attempt must not poison the cache: the next record tries again.
      pending.catch(() => this.#known.delete(topic))
    }
    await pending
  }
}
