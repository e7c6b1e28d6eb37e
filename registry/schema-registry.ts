import type { CompatibilityLevel } from './compatibility.ts'

/** One version of a subject as the registry returns it. */
export interface SubjectVersion {
  subject: string
  version: number
  id: number
  /** The schema text as the registry stores it. */
  schema: string
}

/** A compatibility answer for a schema that is not registered yet. */
export interface CompatibilityReport {
  compatible: boolean
  /** The level that applied (the subject's own, else the global one). */
  level: CompatibilityLevel
  /** The registry's explanations when not compatible; may be empty for terse registries. */
  messages: string[]
}

/**
 * What the service needs from a Confluent-compatible schema registry, in its own types. The
 * hot path (`register` of a schema seen before, `schemaById` of an id seen before) answers
 * from memory. Errors are CdcErrors: CDC_REG_UNAVAILABLE (retriable) when the registry cannot
 * be reached, CDC_REG_INCOMPATIBLE_SCHEMA, CDC_REG_INVALID_SCHEMA, CDC_REG_NOT_FOUND,
 * CDC_REG_REQUEST_FAILED for any other answer.
 */
export interface SchemaRegistryClient {
  /**
   * The id of an Avro schema (JSON text) under `subject`: the one already registered for an
   * identical schema, or a new one after the registry said the schema is compatible with
   * the subject's level. An incompatible schema is never registered.
   */
  register(subject: string, schema: string): Promise<number>
  /** The schema text with this global id. */
  schemaById(id: number): Promise<string>
  /** The subject's latest non-deleted version, undefined when it has none. */
  latestVersion(subject: string): Promise<SubjectVersion | undefined>
  /** The compatibility level that applies to the subject. */
  compatibilityLevel(subject: string): Promise<CompatibilityLevel>
  /** Whether the registry would accept `schema` as the subject's next version. */
  testCompatibility(subject: string, schema: string): Promise<CompatibilityReport>
}
