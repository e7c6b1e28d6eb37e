import { CdcError } from '../../common/errors.ts'
import { isCompatibilityLevel, type CompatibilityLevel } from '../compatibility.ts'
import type { SchemaLogEntry } from './schema-log.ts'

/**
 * Keys and values of the `_schemas` log in Confluent's layout. Keys are JSON with a fixed
 * property order, because compaction compares key bytes: every writer must spell the same
 * key the same way.
 */

/** A SCHEMA value: one version of a subject. */
export interface SchemaValue {
  subject: string
  version: number
  id: number
  /** Canonical Avro text (see avro-schema.ts). */
  schema: string
  deleted: boolean
}

export type LogRecord =
  | { kind: 'schema'; subject: string; version: number; value: SchemaValue | null }
  /** level null: the subject's (or the global) setting was removed. */
  | { kind: 'config'; subject: string | null; level: CompatibilityLevel | null }
  | { kind: 'delete-subject'; subject: string; version: number | null }
  /** NOOP, MODE, CLEAR_SUBJECT, CONTEXT and newer key types carry nothing this registry keeps. */
  | { kind: 'other'; keytype: string }

export function schemaKey(subject: string, version: number): string {
  return JSON.stringify({ keytype: 'SCHEMA', subject, version, magic: 1 })
}

export function schemaValue(value: SchemaValue): string {
  const { subject, version, id, schema, deleted } = value
  return JSON.stringify({ subject, version, id, schema, deleted })
}

/** subject null is the global setting. */
export function configKey(subject: string | null): string {
  return subject === null
    ? JSON.stringify({ keytype: 'CONFIG', magic: 0 })
    : JSON.stringify({ keytype: 'CONFIG', subject, magic: 0 })
}

export function configValue(level: CompatibilityLevel): string {
  return JSON.stringify({ compatibilityLevel: level })
}

export function deleteSubjectKey(subject: string): string {
  return JSON.stringify({ keytype: 'DELETE_SUBJECT', subject, magic: 0 })
}

/** Marks every version up to `version` of the subject as soft-deleted. */
export function deleteSubjectValue(subject: string, version: number): string {
  return JSON.stringify({ subject, version })
}

/** Reads one entry; throws CDC_REG_LOG_INVALID for anything outside the layout. */
export function decodeEntry(entry: SchemaLogEntry): LogRecord {
  const key = parseObject(entry.key, entry, 'key')
  const keytype = key.keytype
  switch (keytype) {
    case 'SCHEMA': {
      const subject = text(key.subject, entry, 'key subject')
      const version = positive(key.version, entry, 'key version')
      return { kind: 'schema', subject, version, value: decodeSchemaValue(entry) }
    }
    case 'CONFIG': {
      const subject =
        key.subject === undefined || key.subject === null
          ? null
          : text(key.subject, entry, 'key subject')
      if (entry.value === null) return { kind: 'config', subject, level: null }
      const level = parseObject(entry.value, entry, 'value').compatibilityLevel
      // Newer Confluent configs may set only other fields; no level means none set here.
      if (level === undefined) return { kind: 'config', subject, level: null }
      if (!isCompatibilityLevel(level))
        throw invalid(entry, `unknown compatibility level ${JSON.stringify(level)}`)
      return { kind: 'config', subject, level }
    }
    case 'DELETE_SUBJECT': {
      const subject = text(key.subject, entry, 'key subject')
      if (entry.value === null) return { kind: 'delete-subject', subject, version: null }
      const value = parseObject(entry.value, entry, 'value')
      return { kind: 'delete-subject', subject, version: positive(value.version, entry, 'version') }
    }
    default:
      if (typeof keytype !== 'string') throw invalid(entry, 'the key has no keytype')
      return { kind: 'other', keytype }
  }
}

function decodeSchemaValue(entry: SchemaLogEntry): SchemaValue | null {
  if (entry.value === null) return null
  const value = parseObject(entry.value, entry, 'value')
  if (value.schemaType !== undefined && value.schemaType !== 'AVRO') {
    throw invalid(entry, `schemaType ${JSON.stringify(value.schemaType)}; only AVRO is supported`)
  }
  return {
    subject: text(value.subject, entry, 'subject'),
    version: positive(value.version, entry, 'version'),
    id: positive(value.id, entry, 'id', 0),
    schema: text(value.schema, entry, 'schema'),
    deleted: value.deleted === true,
  }
}

function parseObject(json: string, entry: SchemaLogEntry, what: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch (error) {
    throw invalid(entry, `the ${what} is not JSON`, error)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid(entry, `the ${what} is not a JSON object`)
  }
  return parsed as Record<string, unknown>
}

function text(value: unknown, entry: SchemaLogEntry, what: string): string {
  if (typeof value !== 'string') throw invalid(entry, `${what} is not a string`)
  return value
}

function positive(value: unknown, entry: SchemaLogEntry, what: string, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalid(entry, `${what} is not an integer of at least ${min}`)
  }
  return value
}

export function invalid(entry: SchemaLogEntry, reason: string, cause?: unknown): CdcError {
  return new CdcError(
    'CDC_REG_LOG_INVALID',
    `The schema log entry with key ${entry.key.slice(0, 200)} cannot be read: ${reason}. Only the registry may write to its _schemas topic; remove the foreign entries' writer or restore the topic.`,
    { cause, details: { key: entry.key } },
  )
}
