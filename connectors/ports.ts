import type { ChangeEvent } from '../envelope/change-event.ts'

/**
 * A database coordinate (Postgres LSN, binlog file+pos, GTID set), as the connector stores
 * it: a flat JSON object, like a Kafka Connect source offset. Only the connector that wrote
 * it interprets it. "Offset" is kept for Kafka offsets.
 */
export type Position = Readonly<Record<string, string | number | boolean | null>>

/**
 * Where a connector delivers its events. The sink turns events into records, checks
 * schemas with the registry and produces to Kafka.
 */
export interface ChangeSink {
  /**
   * Accepts one event. Resolves once the sink has room for more (backpressure), not when
   * the event is durable. Rejects with a CdcError when the event cannot be delivered, e.g.
   * CDC_REG_INCOMPATIBLE_SCHEMA; nothing after it is produced.
   */
  emit(event: ChangeEvent): Promise<void>
  /**
   * Marks a transaction boundary. Resolves once every event emitted before it is durably
   * in Kafka and `position` is stored; only then may the connector confirm `position` to
   * the database. In exactly-once mode the events since the previous commit and the
   * position are written in one Kafka transaction.
   */
  commit(position: Position): Promise<void>
}
