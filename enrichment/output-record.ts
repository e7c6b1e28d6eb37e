import { CdcError } from '../common/errors.ts'
import type { Payload } from '../envelope/change-record.ts'
import type {
  ConnectSchema,
  ConnectValue,
  StructSchema,
  StructValue,
} from '../envelope/connect-schema.ts'
import { Decimal } from '../envelope/connect-schema.ts'
import type { JsonNode } from '../envelope/java-json.ts'
import { JsonEntries, JsonNumberText, stringifyJson } from '../envelope/java-json.ts'
import type { EnrichedRecord, EnrichedValue, JoinOutput } from './join-output.ts'

/**
 * The output record of a released stream change. The key is the stream record's key bytes,
 * untouched, so the output keeps the stream's per-key order and partitioning. The value is
 * a plain JSON document, or (output.format=avro) a Connect payload that the Kafka loop
 * encodes with envelope/avro-codec.ts and registers under `<output.topic>-value`.
 */

export interface OutputBytes {
  key: Uint8Array | null
  /** Null for a tombstone. */
  value: Buffer | null
}

/** The record in JSON: int64 as exact numbers, decimals as exact numbers, bytes as base64. */
export function outputJson(output: JoinOutput): OutputBytes {
  if (output.kind === 'tombstone') return { key: output.key, value: null }
  return { key: output.key, value: Buffer.from(stringifyJson(jsonValue(output.value)), 'utf8') }
}

/**
 * The value as a Connect payload for Avro. Throws CDC_ENRICH_SCHEMA_UNKNOWN when an input
 * topic is JSON without schemas, since there is then no schema to write Avro with.
 */
export function outputPayload(
  outputTopic: string,
  record: EnrichedRecord,
  foreignKey: readonly string[],
): Payload {
  return {
    schema: outputValueSchema(outputTopic, record, foreignKey),
    value: connectValue(record.value),
  }
}

const schemaCache = new WeakMap<StructSchema, WeakMap<StructSchema, Map<string, StructSchema>>>()

/** `<output topic>.Value`, built from the stream and table row schemas (cached per pair). */
export function outputValueSchema(
  outputTopic: string,
  record: EnrichedRecord,
  foreignKey: readonly string[],
): StructSchema {
  const stream = record.streamRowSchema
  const table = record.tableRowSchema
  if (stream === null || table === null) {
    const topic = stream === null ? record.value.source.topic : 'the table topic'
    throw new CdcError(
      'CDC_ENRICH_SCHEMA_UNKNOWN',
      `output.format=avro needs the row schemas of both inputs, but ${topic} is JSON without ` +
        'schemas (or the table has sent no change yet); enable value.converter.schemas.enable ' +
        'or Avro on the source connector, or set output.format=json',
      { details: { outputTopic } },
    )
  }
  let byTable = schemaCache.get(stream)
  if (byTable === undefined) {
    byTable = new WeakMap()
    schemaCache.set(stream, byTable)
  }
  let byName = byTable.get(table)
  if (byName === undefined) {
    byName = new Map()
    byTable.set(table, byName)
  }
  const cacheKey = `${outputTopic}\n${foreignKey.join(',')}`
  let schema = byName.get(cacheKey)
  if (schema === undefined) {
    schema = buildSchema(avroSafeName(outputTopic), stream, table, foreignKey)
    byName.set(cacheKey, schema)
  }
  return schema
}

function buildSchema(
  base: string,
  stream: StructSchema,
  table: StructSchema,
  foreignKey: readonly string[],
): StructSchema {
  const required = (type: 'string' | 'boolean' | 'int32' | 'int64'): ConnectSchema => ({
    type,
    optional: false,
  })
  const optionalString: ConnectSchema = { type: 'string', optional: true }
  const row = { ...stream, optional: true }
  const key: StructSchema = {
    type: 'struct',
    optional: true,
    name: `${base}.TableKey`,
    fields: foreignKey.map((column) => {
      const field = stream.fields.find((candidate) => candidate.name === column)
      if (field === undefined) {
        throw new CdcError(
          'CDC_CONFIG_INVALID',
          `stream.foreign.key column ${column} is not a column of ${stream.name}; fix stream.foreign.key`,
          { details: { field: 'stream.foreign.key', column } },
        )
      }
      return { name: column, schema: { ...field.schema, optional: true } }
    }),
  }
  const struct = (name: string, fields: StructSchema['fields']): StructSchema => ({
    type: 'struct',
    optional: false,
    name: `${base}.${name}`,
    fields,
  })
  return struct('Value', [
    { name: 'op', schema: required('string') },
    {
      name: 'stream',
      schema: struct('Stream', [
        { name: 'before', schema: row },
        { name: 'after', schema: row },
      ]),
    },
    { name: 'table', schema: { ...table, optional: true } },
    {
      name: 'tableRef',
      schema: struct('TableRef', [
        { name: 'key', schema: key },
        { name: 'pos', schema: optionalString },
        { name: 'status', schema: required('string') },
        { name: 'synced', schema: required('boolean') },
        { name: 'previousKey', schema: key },
      ]),
    },
    {
      name: 'source',
      schema: struct('Source', [
        { name: 'pos', schema: required('string') },
        { name: 'topic', schema: required('string') },
        { name: 'partition', schema: required('int32') },
        { name: 'offset', schema: required('int64') },
      ]),
    },
    { name: 'eventId', schema: required('string') },
  ])
}

/** Avro names allow letters, digits and `_`, dot-separated, not starting with a digit. */
function avroSafeName(topic: string): string {
  return topic
    .split('.')
    .filter((part) => part !== '')
    .map((part) => part.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_'))
    .join('.')
}

function connectValue(value: EnrichedValue): StructValue {
  const { tableRef, source } = value
  return {
    op: value.op,
    stream: { before: value.stream.before, after: value.stream.after },
    table: value.table,
    tableRef: {
      key: tableRef.key,
      pos: tableRef.pos,
      status: tableRef.status,
      synced: tableRef.synced,
      previousKey: tableRef.previousKey,
    },
    source: {
      pos: source.pos,
      topic: source.topic,
      partition: source.partition,
      offset: source.offset,
    },
    eventId: value.eventId,
  }
}

function jsonValue(value: EnrichedValue): JsonNode {
  const node = toJson(connectValue(value)) as JsonEntries
  // previousKey is left out rather than written as null when the foreign key did not change.
  return new JsonEntries(
    node.entries.map(([name, member]) =>
      name === 'tableRef' && member instanceof JsonEntries
        ? [
            name,
            new JsonEntries(
              member.entries.filter(([field, item]) => field !== 'previousKey' || item !== null),
            ),
          ]
        : [name, member],
    ),
  )
}

function toJson(value: ConnectValue | undefined): JsonNode {
  if (value === null || value === undefined) return null
  if (typeof value === 'boolean' || typeof value === 'string' || typeof value === 'bigint') {
    return value
  }
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value
    return Number.isFinite(value) ? new JsonNumberText(String(value)) : String(value)
  }
  if (value instanceof Decimal) return new JsonNumberText(value.toString())
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (Array.isArray(value)) return (value as readonly ConnectValue[]).map(toJson)
  if (value instanceof Map) {
    return new JsonEntries(
      [...(value as ReadonlyMap<string, ConnectValue>)].map(([k, v]) => [k, toJson(v)]),
    )
  }
  return new JsonEntries(Object.entries(value as StructValue).map(([k, v]) => [k, toJson(v)]))
}
