import type { ConnectValue, StructSchema, StructValue } from '../envelope/connect-schema.ts'
import { isStructValue } from '../envelope/validate-value.ts'
import type { CommitPosition } from './commit-position.ts'
import { positionOf } from './commit-position.ts'
import type { ReadPart, SchemaById } from './record-reader.ts'
import { RecordReader, invalid } from './record-reader.ts'
import type { TransactionMarker } from './transaction-input.ts'
import { transactionMarker } from './transaction-input.ts'

/**
 * L0 of the join: a consumed record of a Debezium change topic as a typed join input.
 * Decoders throw on anything unexpected; only truncate and message events are let through
 * as `ignored` (rule 7), so that their offsets still count as processed.
 */

/** A record as the Kafka consumer hands it over. */
export interface ConsumedRecord {
  topic: string
  partition: number
  offset: bigint
  key: Uint8Array | null
  value: Uint8Array | null
}

interface InputBase {
  topic: string
  partition: number
  offset: bigint
  /** The record key bytes as consumed; the output record reuses them unchanged. */
  key: Uint8Array | null
  /** The decoded key: a struct of the key columns, or null for keyless tables. */
  keyValue: ConnectValue
  keySchema: StructSchema | null
}

export interface RowChangeInput extends InputBase {
  kind: 'change'
  op: 'c' | 'u' | 'd' | 'r'
  before: StructValue | null
  after: StructValue | null
  /** The row schema (`<topic>.Value`), null when the topic is JSON without schemas. */
  rowSchema: StructSchema | null
  pos: CommitPosition
  /** `source.ts_ms`: when the change was made in the database (history retention). */
  tsMs: bigint
  /** The `transaction` block (provide.transaction.metadata=true), for strict release. */
  transaction: { id: string; dataCollectionOrder: bigint } | null
  /** The data collection Debezium counts the change under: `schema.table` or `db.table`. */
  dataCollection: string | null
}

/** A null value: what Debezium writes after a delete so that compaction drops the key. */
export interface TombstoneInput extends InputBase {
  kind: 'tombstone'
}

export interface IgnoredInput extends InputBase {
  kind: 'ignored'
  op: 't' | 'm'
}

export type JoinInput = RowChangeInput | TombstoneInput | IgnoredInput

export function recordName(record: { topic: string; partition: number; offset: bigint }): string {
  return `${record.topic}/${record.partition}@${record.offset}`
}

export class ChangeInputDecoder {
  readonly #reader: RecordReader

  /** `schemaById` is needed only for Avro topics. */
  constructor(options: { schemaById?: SchemaById } = {}) {
    this.#reader = new RecordReader(options.schemaById ?? null)
  }

  async decode(record: ConsumedRecord): Promise<JoinInput> {
    const where = recordName(record)
    const key = record.key === null ? null : await this.#reader.read(record.key, `${where} key`)
    const base: InputBase = {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      key: record.key,
      keyValue: key?.value ?? null,
      keySchema: key?.schema?.type === 'struct' ? key.schema : null,
    }
    if (record.value === null) return { ...base, kind: 'tombstone' }
    const value = await this.#reader.read(record.value, where)
    return changeInput(base, value, where)
  }

  /** A record of the transaction metadata topic (strict mode). */
  async decodeTransaction(record: ConsumedRecord): Promise<TransactionMarker> {
    const where = recordName(record)
    if (record.value === null) throw invalid(where, 'a transaction metadata record without a value')
    return transactionMarker(await this.#reader.read(record.value, where), where)
  }
}

function changeInput(base: InputBase, part: ReadPart, where: string): JoinInput {
  const envelope = part.value
  if (!isStructValue(envelope)) throw invalid(where, 'its value is not a change event envelope')
  const op = envelope.op
  if (op === 't' || op === 'm') return { ...base, kind: 'ignored', op }
  if (op !== 'c' && op !== 'u' && op !== 'd' && op !== 'r') {
    throw invalid(where, `its op ${JSON.stringify(op)} is none of c, u, d, r, t, m`)
  }
  const before = row(envelope.before, 'before', where)
  const after = row(envelope.after, 'after', where)
  if (op === 'd' ? before === null : after === null) {
    throw invalid(where, `a ${op} event without its ${op === 'd' ? 'before' : 'after'} row`)
  }
  const source = envelope.source
  if (!isStructValue(source)) throw invalid(where, 'the event has no source block')
  const pos = positionOf(source, base.offset, where)
  const tsMs = source.ts_ms
  if (typeof tsMs !== 'bigint' && !(typeof tsMs === 'number' && Number.isSafeInteger(tsMs))) {
    throw invalid(where, 'its source block has no ts_ms')
  }
  return {
    ...base,
    kind: 'change',
    op,
    before,
    after,
    rowSchema: rowSchemaOf(part),
    pos,
    tsMs: BigInt(tsMs),
    transaction: transactionOf(envelope.transaction, where),
    dataCollection: dataCollectionOf(source),
  }
}

function transactionOf(
  value: ConnectValue | undefined,
  where: string,
): RowChangeInput['transaction'] {
  if (value === null || value === undefined) return null
  if (!isStructValue(value) || typeof value.id !== 'string') {
    throw invalid(where, 'its transaction block has no id')
  }
  const order = value.data_collection_order
  const dataCollectionOrder =
    typeof order === 'bigint' ? order : typeof order === 'number' ? BigInt(Math.trunc(order)) : null
  if (dataCollectionOrder === null)
    throw invalid(where, 'its transaction block has no data_collection_order')
  return { id: value.id, dataCollectionOrder }
}

// Debezium's TransactionMonitor counts PostgreSQL changes as `schema.table`, MySQL as `db.table`.
function dataCollectionOf(source: { readonly [field: string]: unknown }): string | null {
  const { schema, table, db } = source
  if (typeof table !== 'string' || table === '') return null
  if (typeof schema === 'string' && schema !== '') return `${schema}.${table}`
  return typeof db === 'string' && db !== '' ? `${db}.${table}` : null
}

function row(value: ConnectValue | undefined, side: string, where: string): StructValue | null {
  if (value === null || value === undefined) return null
  if (!isStructValue(value)) throw invalid(where, `its ${side} row is not a struct`)
  return value
}

function rowSchemaOf(part: ReadPart): StructSchema | null {
  if (part.schema?.type !== 'struct') return null
  const field = part.schema.fields.find((candidate) => candidate.name === 'after')
  return field?.schema.type === 'struct' ? field.schema : null
}
