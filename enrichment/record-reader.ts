import type avsc from 'avsc'
import { CdcError, errorMessage } from '../common/errors.ts'
import type { AvroCodec } from '../envelope/avro-codec.ts'
import { avroCodecFor } from '../envelope/avro-codec.ts'
import type { AvroSchema } from '../envelope/avro-schema.ts'
import { createAvscType } from '../envelope/avro-types.ts'
import type { ConnectSchema, ConnectValue } from '../envelope/connect-schema.ts'
import { unframe } from '../registry/wire-format.ts'
import { connectSchemaFromAvro } from './avro-connect-schema.ts'
import {
  connectSchemaFromJson,
  connectValueFromJson,
  schemalessValue,
} from './connect-json-reader.ts'
import type { ExactJson } from './exact-json.ts'
import { ExactNumber, isJsonObject, parseExactJson } from './exact-json.ts'

/**
 * One record key or value, in whichever format our sink writes: Confluent-framed Avro
 * (magic byte 0, schema id, Avro binary) or Connect JSON with or without the schema
 * wrapper. The format is told by the first byte, so a topic may even change converters.
 */
export interface ReadPart {
  /** Null for JSON without schemas. */
  schema: ConnectSchema | null
  value: ConnectValue
}

/** The registered schema text for a Confluent schema id (the registry client's lookup). */
export type SchemaById = (id: number) => Promise<string>

interface AvroEntry {
  schema: ConnectSchema
  codec: AvroCodec
  writer: avsc.Type
}

// Connect JSON repeats the schema in every record; converting it once per distinct text
// also gives every record of a table version the same schema object (output caches key on it).
const jsonSchemaCacheSize = 256

export class RecordReader {
  readonly #schemaById: SchemaById | null
  readonly #avro = new Map<number, Promise<AvroEntry>>()
  readonly #jsonSchemas = new Map<string, ConnectSchema>()

  constructor(schemaById: SchemaById | null) {
    this.#schemaById = schemaById
  }

  async read(bytes: Uint8Array, where: string): Promise<ReadPart> {
    if (bytes.length > 0 && bytes[0] === 0) return this.#readAvro(bytes, where)
    return this.#readJson(bytes, where)
  }

  async #readAvro(bytes: Uint8Array, where: string): Promise<ReadPart> {
    const { id, payload } = unframe(bytes)
    const entry = await this.#avroEntry(id, where)
    try {
      return { schema: entry.schema, value: entry.codec.decode(payload, entry.writer) }
    } catch (error) {
      throw invalid(
        where,
        `its Avro data does not match schema id ${id} (${errorMessage(error)})`,
        error,
      )
    }
  }

  #avroEntry(id: number, where: string): Promise<AvroEntry> {
    let entry = this.#avro.get(id)
    if (entry === undefined) {
      entry = this.#loadAvro(id, where)
      this.#avro.set(id, entry)
      // A failed lookup (registry down) is tried again by the next record.
      entry.catch(() => this.#avro.delete(id))
    }
    return entry
  }

  async #loadAvro(id: number, where: string): Promise<AvroEntry> {
    if (this.#schemaById === null) {
      throw invalid(where, `it is Avro (schema id ${id}) but the join was given no schema registry`)
    }
    const text = await this.#schemaById(id)
    let tree: unknown
    try {
      tree = JSON.parse(text)
    } catch (error) {
      throw invalid(where, `the registry's schema ${id} is not JSON`, error)
    }
    const schema = connectSchemaFromAvro(
      tree as Parameters<typeof connectSchemaFromAvro>[0],
      `schema id ${id}`,
    )
    try {
      return { schema, codec: avroCodecFor(schema), writer: createAvscType(tree as AvroSchema) }
    } catch (error) {
      throw invalid(where, `schema id ${id} cannot be read (${errorMessage(error)})`, error)
    }
  }

  #readJson(bytes: Uint8Array, where: string): ReadPart {
    let node: ExactJson
    try {
      node = parseExactJson(
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
      )
    } catch (error) {
      throw invalid(where, 'it is neither Confluent-framed Avro nor JSON', error)
    }
    if (
      isJsonObject(node) &&
      isJsonObject(node.schema) &&
      'payload' in node &&
      Object.keys(node).length === 2
    ) {
      const schema = this.#jsonSchema(node.schema, where)
      return { schema, value: connectValueFromJson(schema, node.payload, where) }
    }
    return { schema: null, value: schemalessValue(node) }
  }

  #jsonSchema(node: ExactJson, where: string): ConnectSchema {
    const text = stableText(node)
    let schema = this.#jsonSchemas.get(text)
    if (schema === undefined) {
      schema = connectSchemaFromJson(node, where)
      if (this.#jsonSchemas.size >= jsonSchemaCacheSize) this.#jsonSchemas.clear()
      this.#jsonSchemas.set(text, schema)
    }
    return schema
  }
}

function stableText(node: ExactJson): string {
  return JSON.stringify(node, (_key, value: unknown) =>
    value instanceof ExactNumber ? ['\u0000number', value.text] : value,
  )
}

export function invalid(where: string, reason: string, cause?: unknown): CdcError {
  return new CdcError(
    'CDC_ENRICH_INPUT_INVALID',
    `${where}: ${reason}. The join reads Debezium change topics written with the Avro or JSON converter`,
    { details: { record: where }, ...(cause === undefined ? {} : { cause }) },
  )
}
