import { randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
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
  readonly #settings: KafkaSettings
  readonly #admin: KafkaAdmin
  readonly #options: Required<MembershipOptions>
  #consumer: Consumer
  #stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined
  #onAssignment: (slots: readonly number[]) => void = () => undefined
  #stopped = false
  #rejoining: Promise<void> | null = null
  readonly memberTag = randomUUID()

  constructor(settings: KafkaSettings, admin: KafkaAdmin, options: MembershipOptions) {
    this.#settings = settings
    this.#admin = admin
    this.#options = { sessionTimeoutMs: 10_000, ...options }
    this.#consumer = this.#newConsumer()
  }

  /**
   * Joins the group. `onAssignment` gets the slots this member owns after every
   * rebalance, and an empty list when the membership is lost (left, fenced, or a rejoin
   * failed; the member then joins again with a new consumer).
   */
  async start(onAssignment: (slots: readonly number[]) => void): Promise<void> {
    await this.#admin.ensureTopic({
      name: this.#options.slotsTopic,
      partitions: this.#options.slots,
      replicationFactor: this.#options.replicationFactor,
    })
    this.#onAssignment = onAssignment
    await this.#join()
  }

  #newConsumer(): Consumer {
    return new Consumer({
      ...clientOptions(this.#settings, 'member'),
      groupId: this.#options.groupId,
      sessionTimeout: this.#options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(this.#options.sessionTimeoutMs / 5)),
      rebalanceTimeout: this.#options.sessionTimeoutMs * 3,
    })
  }

  async #join(): Promise<void> {
    const consumer = this.#consumer
    consumer.on('consumer:group:join', (payload: { assignments?: GroupAssignment[] }) => {
      this.#onAssignment(this.#slotsOf(payload.assignments))
    })
    consumer.on('consumer:group:leave', () => {
      this.#onAssignment([])
    })
    // The client reports a rejoin that failed (say, NOT_COORDINATOR right after the broker
    // came back) as an 'error' event and then stops heartbeating: the membership is gone.
    // Without a listener the event would end the process.
    consumer.on('error', () => {
      if (consumer === this.#consumer) void this.#rejoin()
    })
    try {
      this.#stream = await consumer.consume({
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
    this.#onAssignment(this.#slotsOf(consumer.assignments))
  }

  // Gives up every slot at once (another member may own them by now), then joins again
  // with a fresh consumer until it gets in or the membership is stopped.
  #rejoin(): Promise<void> {
    this.#rejoining ??= (async () => {
      this.#onAssignment([])
      for (let attempt = 0; !this.#isStopped(); attempt++) {
        await this.#stream?.close().catch(() => undefined)
        await this.#consumer.close(true).catch(() => undefined)
        this.#stream = undefined
        await delay(Math.min(5_000, 250 * 2 ** attempt))
        if (this.#isStopped()) return
        this.#consumer = this.#newConsumer()
        try {
          await this.#join()
          return
        } catch {
          // Kafka still unreachable: the next attempt waits longer.
        }
      }
    })().finally(() => {
      this.#rejoining = null
    })
    return this.#rejoining
  }

  // A method, not the field: the flag changes while the rejoin loop awaits.
  #isStopped(): boolean {
    return this.#stopped
  }

  #slotsOf(assignments: readonly GroupAssignment[] | null | undefined): number[] {
    return (assignments ?? [])
      .filter((a) => a.topic === this.#options.slotsTopic)
      .flatMap((a) => a.partitions)
      .sort((a, b) => a - b)
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
    this.#stopped = true
    await this.#rejoining
    await this.#stream?.close().catch(() => undefined)
    // Leaving the group at once hands this member's slots to the others without waiting
    // for the session to time out.
    await this.#consumer.close(true).catch(() => undefined)
  }
}
