import type { ConnectValue } from '../envelope/connect-schema.ts'
import { isStructValue } from '../envelope/validate-value.ts'
import type { ReadPart } from './record-reader.ts'
import { invalid } from './record-reader.ts'

/**
 * A record of Debezium's transaction metadata topic (`<topic.prefix>.transaction`,
 * provide.transaction.metadata=true): BEGIN, or END with the number of events per table.
 */
export interface TransactionMarker {
  status: 'BEGIN' | 'END'
  id: string
  /** Events of the transaction per data collection (`schema.table`); empty for BEGIN. */
  counts: ReadonlyMap<string, bigint>
}

export function transactionMarker(part: ReadPart, where: string): TransactionMarker {
  const value = part.value
  if (!isStructValue(value)) throw invalid(where, 'it is not a transaction metadata record')
  const { status, id } = value
  if ((status !== 'BEGIN' && status !== 'END') || typeof id !== 'string') {
    throw invalid(where, 'a transaction metadata record needs status BEGIN or END and an id')
  }
  const counts = new Map<string, bigint>()
  const collections = value.data_collections ?? null
  if (status === 'END') {
    if (!Array.isArray(collections)) throw invalid(where, 'an END record without data_collections')
    for (const entry of collections as readonly ConnectValue[]) {
      if (!isStructValue(entry) || typeof entry.data_collection !== 'string') {
        throw invalid(where, 'a data_collections entry without data_collection')
      }
      counts.set(entry.data_collection, count(entry.event_count, where))
    }
  }
  return { status, id, counts }
}

function count(value: unknown, where: string): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value)
  throw invalid(where, 'a data_collections entry without an integer event_count')
}
