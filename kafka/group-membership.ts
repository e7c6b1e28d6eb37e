import { randomUUID } from 'node:crypto'
import { Consumer, type GroupAssignment, type MessagesStream } from '@platformatic/kafka'
import type { KafkaAdmin } from './kafka-admin.ts'
import { toCdcError } from './kafka-errors.ts'
import { clientOptions, type KafkaSettings } from './kafka-settings.ts'

export interface MembershipOptions {
  groupId: string
  /** An empty topic whose partitions are the slots the group hands out. */
  slotsTopic: string
  slots: number
  replicationFactor: number
  sessionTimeoutMs?: number
}

/**
 * Membership in a Kafka consumer group, used not to read records but for what the group
 * protocol guarantees: each partition of the slots topic belongs to exactly one live
 * member, and when a member joins or dies the partitions move. The service runs a
 * connector on the member that owns the connector's slot, which spreads connectors over
 * instances and moves them off a dead one, the way Kafka Connect uses its group.
 */
export class GroupMembership {
  readonly #admin: KafkaAdmin
  readonly #options: Required<MembershipOptions>
  readonly #consumer: Consumer
  #stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined
  readonly memberTag = randomUUID()

  constructor(settings: KafkaSettings, admin: KafkaAdmin, options: MembershipOptions) {
    this.#admin = admin
    this.#options = { sessionTimeoutMs: 10_000, ...options }
    this.#consumer = new Consumer({
      ...clientOptions(settings, 'member'),
      groupId: options.groupId,
      sessionTimeout: this.#options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(this.#options.sessionTimeoutMs / 5)),
      rebalanceTimeout: this.#options.sessionTimeoutMs * 3,
    })
  }

  /**
   * Joins the group. `onAssignment` gets the slots this member owns after every
   * rebalance, and an empty list when the membership is lost (left or fenced).
   */
  async start(onAssignment: (slots: readonly number[]) => void): Promise<void> {
    await this.#admin.ensureTopic({
      name: this.#options.slotsTopic,
      partitions: this.#options.slots,
      replicationFactor: this.#options.replicationFactor,
    })
    const slotsOf = (assignments: readonly GroupAssignment[] | null | undefined): number[] =>
      (assignments ?? [])
        .filter((a) => a.topic === this.#options.slotsTopic)
        .flatMap((a) => a.partitions)
        .sort((a, b) => a - b)
    this.#consumer.on('consumer:group:join', (payload: { assignments?: GroupAssignment[] }) => {
      onAssignment(slotsOf(payload.assignments))
    })
    this.#consumer.on('consumer:group:leave', () => {
      onAssignment([])
    })
    try {
      this.#stream = await this.#consumer.consume({
        topics: [this.#options.slotsTopic],
        mode: 'latest',
        autocommit: false,
        sessionTimeout: this.#options.sessionTimeoutMs,
        heartbeatInterval: Math.max(500, Math.floor(this.#options.sessionTimeoutMs / 5)),
      })
    } catch (error) {
      throw toCdcError(error, 'CDC_KAFKA_CONNECTION', `joining group ${this.#options.groupId}`)
    }
    // Nothing is ever written to the slots topic; reading it keeps the membership alive.
    this.#stream.on('data', () => undefined)
    this.#stream.on('error', () => undefined)
    onAssignment(slotsOf(this.#consumer.assignments))
  }

  /** The slot a connector name maps to: stable across instances and restarts. */
  slotOf(name: string): number {
    let hash = 0x811c9dc5
    for (const byte of Buffer.from(name, 'utf8')) {
      hash = Math.imul(hash ^ byte, 0x01000193) >>> 0
    }
    return hash % this.#options.slots
  }

  async stop(): Promise<void> {
    await this.#stream?.close().catch(() => undefined)
    // Leaving the group at once hands this member's slots to the others without waiting
    // for the session to time out.
    await this.#consumer.close(true).catch(() => undefined)
  }
}
