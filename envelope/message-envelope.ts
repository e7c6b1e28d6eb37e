import type { LogicalMessageEvent } from './change-event.ts'
import type { ChangeRecord } from './change-record.ts'
import type { StructSchema } from './connect-schema.ts'
import { commonFields } from './envelope-fields.ts'
import { transactionBlockSchema } from './envelope-schemas.ts'

/**
 * Records for PostgreSQL logical decoding messages (`pg_logical_emit_message`), shaped like
 * Debezium's LogicalDecodingMessageMonitor output on `<topic.prefix>.message`.
 */

const optionalString = { type: 'string', optional: true } as const

export const messageKeySchema: StructSchema = {
  type: 'struct',
  optional: false,
  name: 'io.debezium.connector.postgresql.MessageKey',
  version: 1,
  fields: [{ name: 'prefix', schema: optionalString }],
}

/** The `message` block; Debezium keeps both fields optional although Postgres sends both. */
export const messageBlockSchema: StructSchema = {
  type: 'struct',
  optional: false,
  name: 'io.debezium.connector.postgresql.Message',
  version: 1,
  fields: [
    { name: 'prefix', schema: optionalString },
    { name: 'content', schema: { type: 'bytes', optional: true } },
  ],
}

const valueSchemas = new WeakMap<StructSchema, StructSchema>()

/** `io.debezium.connector.postgresql.MessageValue` for a connector's source schema. */
export function messageValueSchema(source: StructSchema): StructSchema {
  let schema = valueSchemas.get(source)
  if (schema === undefined) {
    schema = {
      type: 'struct',
      optional: false,
      name: 'io.debezium.connector.postgresql.MessageValue',
      version: 1,
      fields: [
        { name: 'op', schema: { type: 'string', optional: false } },
        { name: 'ts_ms', schema: { type: 'int64', optional: true } },
        { name: 'source', schema: source },
        { name: 'transaction', schema: transactionBlockSchema },
        { name: 'message', schema: messageBlockSchema },
      ],
    }
    valueSchemas.set(source, schema)
  }
  return schema
}

export function messageRecord(event: LogicalMessageEvent): ChangeRecord {
  const { source, transaction, ts_ms } = commonFields(event, event.topic)
  return {
    topic: event.topic,
    key: { schema: messageKeySchema, value: { prefix: event.prefix } },
    value: {
      schema: messageValueSchema(event.source.schema),
      value: {
        op: 'm',
        ts_ms,
        source,
        transaction,
        message: { prefix: event.prefix, content: event.content },
      },
    },
  }
}
