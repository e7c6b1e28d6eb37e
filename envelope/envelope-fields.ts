import { CdcError } from '../common/errors.ts'
import type { ChangeEvent, TransactionInfo } from './change-event.ts'
import type { StructValue } from './connect-schema.ts'
import { validateValue } from './validate-value.ts'
import { floorDiv } from './value-modes.ts'

/** The envelope fields after before/after: source, transaction and the timestamps. */
export function commonFields(
  event: ChangeEvent,
  topic: string,
): { source: StructValue; transaction: StructValue | null } & Record<
  'ts_ms' | 'ts_us' | 'ts_ns',
  bigint
> {
  validateValue(event.source.schema, event.source.value, topic, 'source')
  const tsNs = event.tsNs ?? toMillis(event.tsMs, topic) * 1_000_000n
  return {
    source: event.source.value,
    transaction: transactionValue(event.transaction),
    // Debezium derives all three from one Instant; its ms and µs are truncations (floor).
    ts_ms: floorDiv(tsNs, 1_000_000n),
    ts_us: floorDiv(tsNs, 1_000n),
    ts_ns: tsNs,
  }
}

export function transactionValue(info: TransactionInfo | undefined): StructValue | null {
  if (info === undefined) return null
  return {
    id: info.id,
    total_order: info.totalOrder,
    data_collection_order: info.dataCollectionOrder,
  }
}

function toMillis(tsMs: number, topic: string): bigint {
  if (!Number.isSafeInteger(tsMs)) {
    throw new CdcError(
      'CDC_ENVELOPE_INVALID_VALUE',
      `topic ${topic}, field ts_ms: expected whole milliseconds since the epoch, got ${tsMs}`,
      { details: { topic, field: 'ts_ms' } },
    )
  }
  return BigInt(tsMs)
}
