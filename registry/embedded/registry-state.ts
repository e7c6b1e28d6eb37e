import type { CompatibilityLevel } from '../compatibility.ts'
import { decodeEntry, type SchemaValue } from './log-records.ts'
import type { SchemaLogEntry } from './schema-log.ts'

/**
 * The registry's state as the replay of its log. Replay is deterministic, so every instance
 * reading the same log agrees, and it gives the same state for a compacted log (the last
 * value of each key, in order) as for the full one, with one rule on top: a SCHEMA entry
 * that would give a version another id than it already has, or give an id to a second,
 * different schema, lost a race against another writer and is ignored. Its writer sees
 * that on its next read and repairs or retries (see schema-store.ts).
 */
export class RegistryState {
  /** subject -> version -> value */
  readonly #subjects = new Map<string, Map<number, SchemaValue>>()
  /** Indexes over the same value objects: id -> values, canonical schema -> values. */
  readonly #byId = new Map<number, Set<SchemaValue>>()
  readonly #bySchema = new Map<string, Set<SchemaValue>>()
  readonly #configs = new Map<string, CompatibilityLevel>()
  #global: CompatibilityLevel | undefined
  #maxId = 0

  apply(entry: SchemaLogEntry): void {
    const record = decodeEntry(entry)
    switch (record.kind) {
      case 'schema':
        if (record.value === null) this.#put(record.subject, record.version, undefined)
        else this.#applySchema(record.subject, record.version, record.value)
        return
      case 'config':
        if (record.subject === null) this.#global = record.level ?? undefined
        else if (record.level === null) this.#configs.delete(record.subject)
        else this.#configs.set(record.subject, record.level)
        return
      case 'delete-subject':
        for (const value of this.#subjects.get(record.subject)?.values() ?? []) {
          if (record.version !== null && value.version <= record.version) value.deleted = true
        }
        return
      case 'other':
        return
    }
  }

  #applySchema(subject: string, version: number, value: SchemaValue): void {
    this.#maxId = Math.max(this.#maxId, value.id)
    const existing = this.#subjects.get(subject)?.get(version)
    if (existing !== undefined && existing.id !== value.id) return
    const holder = first(this.#byId.get(value.id))
    if (holder !== undefined && holder.schema !== value.schema) return
    // The key says which version this is; the value's copy of it is informational.
    this.#put(subject, version, { ...value, subject, version })
  }

  #put(subject: string, version: number, value: SchemaValue | undefined): void {
    let versions = this.#subjects.get(subject)
    if (versions === undefined) {
      versions = new Map()
      this.#subjects.set(subject, versions)
    }
    const old = versions.get(version)
    if (old !== undefined) {
      unindex(this.#byId, old.id, old)
      unindex(this.#bySchema, old.schema, old)
    }
    if (value === undefined) {
      versions.delete(version)
      if (versions.size === 0) this.#subjects.delete(subject)
      return
    }
    versions.set(version, value)
    index(this.#byId, value.id, value)
    index(this.#bySchema, value.schema, value)
  }

  /** Highest id any entry ever used in this replay; new ids are allocated above it. */
  get maxId(): number {
    return this.#maxId
  }

  /** A subject's versions in ascending order. */
  versions(subject: string, includeDeleted: boolean): SchemaValue[] {
    const all = [...(this.#subjects.get(subject)?.values() ?? [])]
    return all
      .filter((value) => includeDeleted || !value.deleted)
      .sort((a, b) => a.version - b.version)
  }

  version(subject: string, version: number): SchemaValue | undefined {
    return this.#subjects.get(subject)?.get(version)
  }

  /** The newest non-deleted version. */
  latest(subject: string): SchemaValue | undefined {
    return this.versions(subject, false).at(-1)
  }

  /** The highest version number the subject has, soft-deleted ones included; 0 if none. */
  maxVersion(subject: string): number {
    return this.versions(subject, true).at(-1)?.version ?? 0
  }

  hasSubject(subject: string, includeDeleted: boolean): boolean {
    return this.versions(subject, includeDeleted).length > 0
  }

  subjects(includeDeleted: boolean): string[] {
    return [...this.#subjects.keys()].filter((s) => this.hasSubject(s, includeDeleted)).sort()
  }

  /** Every version (soft-deleted included) holding this id, ordered by subject and version. */
  usages(id: number): SchemaValue[] {
    return [...(this.#byId.get(id) ?? [])].sort((a, b) =>
      a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.version - b.version,
    )
  }

  /** The id already given to this canonical schema anywhere, soft-deleted versions included. */
  idOf(schema: string): number | undefined {
    const ids = [...(this.#bySchema.get(schema) ?? [])].map((value) => value.id)
    return ids.length === 0 ? undefined : Math.min(...ids)
  }

  subjectLevel(subject: string): CompatibilityLevel | undefined {
    return this.#configs.get(subject)
  }

  globalLevel(): CompatibilityLevel | undefined {
    return this.#global
  }
}

function first<T>(values: Set<T> | undefined): T | undefined {
  return values?.values().next().value
}

function index<K>(map: Map<K, Set<SchemaValue>>, key: K, value: SchemaValue): void {
  let values = map.get(key)
  if (values === undefined) {
    values = new Set()
    map.set(key, values)
  }
  values.add(value)
}

function unindex<K>(map: Map<K, Set<SchemaValue>>, key: K, value: SchemaValue): void {
  const values = map.get(key)
  values?.delete(value)
  if (values?.size === 0) map.delete(key)
}
