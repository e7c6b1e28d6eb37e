import { setTimeout as delay } from 'node:timers/promises'
import {
  Admin,
  ConfigResourceTypes,
  FetchIsolationLevels,
  ListOffsetTimestamps,
} from '@platformatic/kafka'
import { CdcError } from '../common/errors.ts'
import { toCdcError } from './kafka-errors.ts'
import { clientOptions, type KafkaSettings } from './kafka-settings.ts'

export interface TopicSpec {
  name: string
  partitions: number
  replicationFactor: number
  /** Topic-level configs, e.g. `{ 'cleanup.policy': 'compact' }`. */
  configs?: Readonly<Record<string, string>>
}

export interface TopicDescription {
  name: string
  partitions: number
  configs: Readonly<Record<string, string>>
}

/** How long a created topic may take to show in the brokers' metadata. */
const topicVisibleTimeoutMs = 15_000

/** Topic administration in the project's own terms. */
export class KafkaAdmin {
  readonly #admin: Admin

  constructor(settings: KafkaSettings) {
    this.#admin = new Admin(clientOptions(settings, 'admin'))
  }

  /** Creates the topic unless it exists; returns whether it was created. */
  async ensureTopic(spec: TopicSpec): Promise<boolean> {
    if (await this.exists(spec.name)) return false
    try {
      await this.#admin.createTopics({
        topics: [spec.name],
        partitions: spec.partitions,
        replicas: spec.replicationFactor,
        configs: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
      })
    } catch (error) {
      // Another instance may have created it between our check and our request.
      if (await this.exists(spec.name)) return false
      throw toCdcError(error, 'CDC_KAFKA_TOPIC_CONFIG', `creating topic ${spec.name}`)
    }
    await this.#awaitMetadata(spec.name)
    return true
  }

  // CreateTopics answers before the new topic is in the metadata the brokers serve, and a
  // describe or produce right after it fails with UNKNOWN_TOPIC_OR_PARTITION.
  async #awaitMetadata(topic: string): Promise<void> {
    const deadline = Date.now() + topicVisibleTimeoutMs
    for (;;) {
      const metadata = await this.#admin
        .metadata({ topics: [topic], forceUpdate: true })
        .catch(() => null)
      if (metadata?.topics.get(topic)?.partitionsCount !== undefined) return
      if (Date.now() > deadline) {
        throw new CdcError(
          'CDC_KAFKA_TOPIC_CONFIG',
          `topic ${topic} was created but its metadata did not appear within ${String(topicVisibleTimeoutMs)} ms; check the brokers' health`,
          { retriable: true },
        )
      }
      await delay(100)
    }
  }

  async exists(topic: string): Promise<boolean> {
    try {
      const topics = await this.#admin.listTopics({ includeInternals: false })
      return topics.includes(topic)
    } catch (error) {
      throw toCdcError(error, 'CDC_KAFKA_CONNECTION', 'listing topics')
    }
  }

  async describeTopic(topic: string): Promise<TopicDescription> {
    try {
      const metadata = await this.#admin.metadata({ topics: [topic], forceUpdate: true })
      const partitions = metadata.topics.get(topic)?.partitionsCount
      if (partitions === undefined) {
        throw new CdcError('CDC_KAFKA_TOPIC_CONFIG', `topic ${topic} does not exist`)
      }
      const [description] = await this.#admin.describeConfigs({
        resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: topic }],
      })
      const configs: Record<string, string> = {}
      for (const entry of description?.configs ?? []) {
        if (typeof entry.value === 'string') configs[entry.name] = entry.value
      }
      return { name: topic, partitions, configs }
    } catch (error) {
      throw toCdcError(error, 'CDC_KAFKA_CONNECTION', `describing topic ${topic}`)
    }
  }

  /**
   * The offset after the last readable record of each partition: the last stable offset
   * for read_committed readers (records of open transactions are not readable yet).
   */
  async endOffsets(topic: string, partitions: number): Promise<Map<number, bigint>> {
    try {
      const [listed] = await this.#admin.listOffsets({
        isolationLevel: FetchIsolationLevels.READ_COMMITTED,
        topics: [
          {
            name: topic,
            partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({
              partitionIndex,
              timestamp: ListOffsetTimestamps.LATEST,
            })),
          },
        ],
      })
      return new Map(listed?.partitions.map((p) => [p.partitionIndex, p.offset]) ?? [])
    } catch (error) {
      throw toCdcError(error, 'CDC_KAFKA_CONNECTION', `listing end offsets of ${topic}`)
    }
  }

  /**
   * A consumer group's committed offsets (the next offset to read) per partition of one
   * topic; null where the group has committed none.
   */
  async committedOffsets(
    groupId: string,
    topic: string,
    partitions: number,
  ): Promise<Map<number, bigint | null>> {
    try {
      const [group] = await this.#admin.listConsumerGroupOffsets({
        groups: [
          {
            groupId,
            topics: [
              { name: topic, partitionIndexes: Array.from({ length: partitions }, (_, i) => i) },
            ],
          },
        ],
      })
      const committed = new Map<number, bigint | null>()
      for (const entry of group?.topics ?? []) {
        for (const p of entry.partitions) {
          committed.set(p.partitionIndex, p.committedOffset < 0n ? null : p.committedOffset)
        }
      }
      return committed
    } catch (error) {
      throw toCdcError(error, 'CDC_KAFKA_CONNECTION', `reading the offsets of group ${groupId}`)
    }
  }

  async clusterId(): Promise<string> {
    try {
      return (await this.#admin.metadata({ topics: [] })).id
    } catch (error) {
      throw toCdcError(error, 'CDC_KAFKA_CONNECTION', 'reading cluster metadata')
    }
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    try {
      await this.#admin.deleteTopics({ topics: [...topics] })
    } catch (error) {
      throw toCdcError(error, 'CDC_KAFKA_CONNECTION', `deleting topics ${topics.join(', ')}`)
    }
  }

  async deleteGroups(groups: readonly string[]): Promise<void> {
    try {
      await this.#admin.deleteGroups({ groups: [...groups] })
    } catch (error) {
      throw toCdcError(
        error,
        'CDC_KAFKA_CONNECTION',
        `deleting consumer groups ${groups.join(', ')}`,
      )
    }
  }

  async close(): Promise<void> {
    await this.#admin.close()
  }
}
