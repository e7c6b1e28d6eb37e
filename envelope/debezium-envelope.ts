import { CdcError } from '../common/errors.ts'
import type { ChangeEvent, RowChangeEvent, TruncateEvent } from './change-event.ts'
import type { ChangeRecord, Payload } from './change-record.ts'
import type { StructSchema, StructValue } from './connect-schema.ts'
import { connectHeaderText } from './connect-header.ts'
import { connectValuesEqual } from './connect-values.ts'
import { commonFields } from './envelope-fields.ts'
import { envelopeSchemaFor, keySchemaFor, valueSchemaFor } from './envelope-schemas.ts'
import { messageRecord } from './message-envelope.ts'
import { schemaChangeRecord } from './schema-change-envelope.ts'
import { validateValue } from './validate-value.ts'

/**
 * Turns a connector's ChangeEvent into the Kafka records Debezium would produce for it:
 * keyed change events, tombstones after deletes, and key changes split into delete and
 * create. Every key, row and source value is checked against its schema on the way.
 */

export interface EnvelopeOptions {
  /** `tombstones.on.delete`: follow each delete with a null-value record (default true). */
  tombstonesOnDelete?: boolean
}

/** Header on the delete (and its tombstone) of a key change: the row's new key. */
export const newKeyHeader = '__debezium.newkey'
/** Header on the create of a key change: the row's old key. */
export const oldKeyHeader = '__debezium.oldkey'

export function buildChangeRecords(
  event: ChangeEvent,
  options: EnvelopeOptions = {},
): ChangeRecord[] {
  switch (event.kind) {
    case 'row':
      return rowRecords(event, options.tombstonesOnDelete ?? true)
    case 'truncate':
      return [truncateRecord(event)]
    case 'message':
      return [messageRecord(event)]
    case 'schemaChange':
      return [schemaChangeRecord(event)]
  }
}

type RowOp = RowChangeEvent['op']

function rowRecords(event: RowChangeEvent, tombstones: boolean): ChangeRecord[] {
  const { table, before, after } = event
  const topic = table.topic
  const keySchema = keySchemaFor(table)
  const envelope = envelopeSchemaFor(table, event.source.schema)
  const valueSchema = valueSchemaFor(table)
  const common = commonFields(event, topic)
  const record = (
    op: RowOp,
    rowBefore: StructValue | null,
    rowAfter: StructValue | null,
    key: Payload | null,
    headers?: Record<string, string>,
  ): ChangeRecord => ({
    topic,
    key,
    value: { schema: envelope, value: { before: rowBefore, after: rowAfter, ...common, op } },
    ...(headers === undefined ? {} : { headers }),
  })
  const keyOf = (row: StructValue, path: string): Payload | null =>
    keySchema === null ? null : { schema: keySchema, value: keyValue(keySchema, row, topic, path) }
  const deleteRecords = (
    key: Payload | null,
    row: StructValue,
    headers?: Record<string, string>,
  ) => {
    const removal = record('d', row, null, key, headers)
    if (!tombstones) return [removal]
    return [removal, { topic, key, value: null, ...(headers === undefined ? {} : { headers }) }]
  }

  switch (event.op) {
    case 'c':
    case 'r': {
      const row = requireRow(after, event, 'after')
      forbidRow(before, event, 'before')
      validateValue(valueSchema, row, topic, 'after')
      return [record(event.op, null, row, keyOf(row, 'after'))]
    }
    case 'u': {
      const row = requireRow(after, event, 'after')
      validateValue(valueSchema, row, topic, 'after')
      if (before !== null) validateValue(valueSchema, before, topic, 'before')
      const newKey = keyOf(row, 'after')
      const oldKey = before === null ? null : keyOf(before, 'before')
      if (before === null || oldKey === null || newKey === null || sameKey(oldKey, newKey)) {
        return [record('u', before, row, newKey)]
      }
      return [
        ...deleteRecords(oldKey, before, { [newKeyHeader]: headerText(newKey) }),
        record('c', null, row, newKey, { [oldKeyHeader]: headerText(oldKey) }),
      ]
    }
    case 'd': {
      const row = requireRow(before, event, 'before')
      forbidRow(after, event, 'after')
      validateValue(valueSchema, row, topic, 'before')
      return deleteRecords(keyOf(row, 'before'), row)
    }
  }
}

function truncateRecord(event: TruncateEvent): ChangeRecord {
  const topic = event.table.topic
  const schema = envelopeSchemaFor(event.table, event.source.schema)
  const value = { before: null, after: null, ...commonFields(event, topic), op: 't' }
  return { topic, key: null, value: { schema, value } }
}

function keyValue(schema: StructSchema, row: StructValue, topic: string, path: string) {
  const key: Record<string, StructValue[string]> = {}
  for (const field of schema.fields) key[field.name] = row[field.name] ?? null
  validateValue(schema, key, topic, `key (from ${path})`)
  return key
}

function sameKey(a: Payload, b: Payload): boolean {
  return connectValuesEqual(a.value, b.value)
}

function headerText(key: Payload): string {
  return connectHeaderText(key.schema, key.value)
}

function requireRow(row: StructValue | null, event: RowChangeEvent, side: string): StructValue {
  if (row !== null) return row
  throw new CdcError(
    'CDC_ENVELOPE_INVALID_VALUE',
    `topic ${event.table.topic}: a ${event.op} event needs its ${side} row, but it is null. ` +
      'For deletes and key changes the table must publish old rows (a primary key, or ' +
      'REPLICA IDENTITY FULL on PostgreSQL)',
    { details: { topic: event.table.topic, op: event.op, field: side } },
  )
}

function forbidRow(row: StructValue | null, event: RowChangeEvent, side: string): void {
  if (row === null) return
  throw new CdcError(
    'CDC_ENVELOPE_INVALID_VALUE',
    `topic ${event.table.topic}: a ${event.op} event has no ${side} row, but one was given; ` +
      'this is a connector defect, report it with the event',
    { details: { topic: event.table.topic, op: event.op, field: side } },
  )
}
