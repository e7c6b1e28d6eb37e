import { errorMessage } from '../../common/errors.ts'
import { parseAvroSchema, type AvroSchema } from '../avro-schema.ts'
import {
  checkCompatibility,
  isCompatibilityLevel,
  type CompatibilityLevel,
  type PreviousVersion,
} from '../compatibility.ts'
import {
  configKey,
  configValue,
  deleteSubjectKey,
  deleteSubjectValue,
  schemaKey,
  schemaValue,
  type SchemaValue,
} from './log-records.ts'
import { registryErrors, RegistryError } from './registry-error.ts'
import { LogReplica } from './log-replica.ts'
import type { RegistryState } from './registry-state.ts'
import type { SchemaLog } from './schema-log.ts'
import { latestVersion, parseVersion } from './version-id.ts'

/** The body of register, lookup and compatibility requests, as received. */
export interface SchemaRequest {
  schema?: unknown
  schemaType?: unknown
  references?: unknown
}

export interface StoredSchema {
  subject: string
  version: number
  id: number
  schema: string
}

export interface CompatibilityResult {
  compatible: boolean
  messages: string[]
}

export interface SchemaStoreOptions {
  /** The level while no global one is set; Confluent's default is BACKWARD. */
  defaultLevel?: CompatibilityLevel
  /** How often a registration that lost a race with another instance is tried again. */
  maxWriteAttempts?: number
}

/**
 * The registry's operations with Confluent's semantics, over a SchemaLog. Every operation
 * first reads the log to its end, so it sees what other instances wrote; writes append and
 * read back, and only what the replay accepted counts. Operations of one instance run one
 * at a time. Errors are RegistryErrors carrying Confluent's error codes.
 */
export class SchemaStore {
  readonly #replica: LogReplica
  readonly #defaultLevel: CompatibilityLevel
  readonly #maxAttempts: number
  readonly #parsed = new Map<string, AvroSchema>()

  constructor(log: SchemaLog, options: SchemaStoreOptions = {}) {
    this.#replica = new LogReplica(log)
    this.#defaultLevel = options.defaultLevel ?? 'BACKWARD'
    this.#maxAttempts = options.maxWriteAttempts ?? 10
  }

  get #state(): RegistryState {
    return this.#replica.state
  }

  /** Reads the log to its end (every operation does so too). */
  sync(): Promise<void> {
    return this.#replica.run(() => undefined)
  }

  async register(subject: string, request: SchemaRequest): Promise<{ id: number }> {
    const candidate = this.#candidate(request)
    return this.#replica.run(async () => {
      for (let attempt = 1; ; attempt++) {
        const existing = this.#find(subject, candidate.canonical, false)
        if (existing !== undefined) return { id: existing.id }
        const verdict = checkCompatibility(this.#level(subject), candidate, this.#previous(subject))
        if (!verdict.compatible) throw registryErrors.incompatible(subject, verdict.reasons)
        const version = this.#state.maxVersion(subject) + 1
        const id = this.#state.idOf(candidate.canonical) ?? this.#state.maxId + 1
        // Confluent drops soft-deleted versions of the same schema when it comes back.
        for (const old of this.#state.versions(subject, true)) {
          if (old.deleted && old.id === id)
            await this.#replica.append(schemaKey(subject, old.version), null)
        }
        const value = { subject, version, id, schema: candidate.canonical, deleted: false }
        await this.#replica.append(schemaKey(subject, version), schemaValue(value))
        await this.#replica.catchUp()
        const stored = this.#state.version(subject, version)
        if (stored?.id === id && stored.schema === value.schema) return { id }
        // Another instance took this version first; its value must stay the key's last one.
        if (stored !== undefined)
          await this.#replica.append(schemaKey(subject, version), schemaValue(stored))
        if (attempt >= this.#maxAttempts) {
          throw registryErrors.store(
            `Registering a schema under subject '${subject}' lost ${attempt} races with other registry instances writing the same log; try again.`,
          )
        }
      }
    })
  }

  async lookup(
    subject: string,
    request: SchemaRequest,
    includeDeleted: boolean,
  ): Promise<StoredSchema> {
    const candidate = this.#candidate(request)
    return this.#replica.run(() => {
      const found = this.#find(subject, candidate.canonical, includeDeleted)
      if (found !== undefined) return stored(found)
      if (!this.#state.hasSubject(subject, includeDeleted))
        throw registryErrors.subjectNotFound(subject)
      throw registryErrors.schemaNotFound()
    })
  }

  schemaById(id: number): Promise<{ schema: string }> {
    return this.#replica.run(() => {
      const holder = this.#state.usages(id)[0]
      if (holder === undefined) throw registryErrors.schemaNotFound(id)
      return { schema: holder.schema }
    })
  }

  versionsById(
    id: number,
    includeDeleted: boolean,
  ): Promise<{ subject: string; version: number }[]> {
    return this.#replica.run(() => {
      const usages = this.#state.usages(id)
      if (usages.length === 0) throw registryErrors.schemaNotFound(id)
      return usages
        .filter((value) => includeDeleted || !value.deleted)
        .map(({ subject, version }) => ({ subject, version }))
    })
  }

  subjects(includeDeleted: boolean): Promise<string[]> {
    return this.#replica.run(() => this.#state.subjects(includeDeleted))
  }

  versions(subject: string, includeDeleted: boolean): Promise<number[]> {
    return this.#replica.run(() => {
      const versions = this.#state.versions(subject, includeDeleted)
      if (versions.length === 0) throw registryErrors.subjectNotFound(subject)
      return versions.map((value) => value.version)
    })
  }

  async version(
    subject: string,
    versionText: string,
    includeDeleted: boolean,
  ): Promise<StoredSchema> {
    const version = parseVersion(versionText)
    return this.#replica.run(() => {
      const value =
        version === latestVersion
          ? this.#state.latest(subject)
          : this.#state.version(subject, version)
      if (value !== undefined && (includeDeleted || !value.deleted)) return stored(value)
      if (!this.#state.hasSubject(subject, includeDeleted))
        throw registryErrors.subjectNotFound(subject)
      throw registryErrors.versionNotFound(version)
    })
  }

  deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    return this.#replica.run(async () => {
      if (!this.#state.hasSubject(subject, true)) throw registryErrors.subjectNotFound(subject)
      const live = this.#state.versions(subject, false)
      if (!permanent) {
        const newest = live.at(-1)
        if (newest === undefined) throw registryErrors.subjectSoftDeleted(subject)
        await this.#replica.append(
          deleteSubjectKey(subject),
          deleteSubjectValue(subject, newest.version),
        )
        await this.#replica.catchUp()
        return live.map((value) => value.version)
      }
      if (live.length > 0) throw registryErrors.subjectNotSoftDeleted(subject)
      const all = this.#state.versions(subject, true).map((value) => value.version)
      for (const version of [...all].reverse())
        await this.#replica.append(schemaKey(subject, version), null)
      if (this.#state.subjectLevel(subject) !== undefined)
        await this.#replica.append(configKey(subject), null)
      await this.#replica.catchUp()
      return all
    })
  }

  async deleteVersion(subject: string, versionText: string, permanent: boolean): Promise<number> {
    const version = parseVersion(versionText)
    return this.#replica.run(async () => {
      const target =
        version === latestVersion
          ? this.#state.latest(subject)
          : this.#state.version(subject, version)
      if (target?.deleted === true && !permanent) {
        throw registryErrors.versionSoftDeleted(subject, target.version)
      }
      if (target === undefined) {
        if (!this.#state.hasSubject(subject, true)) throw registryErrors.subjectNotFound(subject)
        throw registryErrors.versionNotFound(version)
      }
      if (permanent && !target.deleted) {
        throw registryErrors.versionNotSoftDeleted(subject, target.version)
      }
      const key = schemaKey(subject, target.version)
      if (!permanent) {
        await this.#replica.append(key, schemaValue({ ...target, deleted: true }))
      } else {
        await this.#replica.append(key, null)
        const last = this.#state.versions(subject, true).length === 1
        if (last && this.#state.subjectLevel(subject) !== undefined) {
          await this.#replica.append(configKey(subject), null)
        }
      }
      await this.#replica.catchUp()
      return target.version
    })
  }

  globalLevel(): Promise<CompatibilityLevel> {
    return this.#replica.run(() => this.#state.globalLevel() ?? this.#defaultLevel)
  }

  setGlobalLevel(level: unknown): Promise<CompatibilityLevel> {
    return this.#setLevel(null, level)
  }

  /** Back to the default level; answers the level that was in force. */
  deleteGlobalLevel(): Promise<CompatibilityLevel> {
    return this.#replica.run(async () => {
      const previous = this.#state.globalLevel() ?? this.#defaultLevel
      await this.#replica.append(configKey(null), null)
      await this.#replica.catchUp()
      return previous
    })
  }

  subjectLevel(subject: string, defaultToGlobal: boolean): Promise<CompatibilityLevel> {
    return this.#replica.run(() => {
      const own = this.#state.subjectLevel(subject)
      if (own !== undefined) return own
      if (defaultToGlobal) return this.#state.globalLevel() ?? this.#defaultLevel
      throw registryErrors.subjectLevelNotConfigured(subject)
    })
  }

  setSubjectLevel(subject: string, level: unknown): Promise<CompatibilityLevel> {
    return this.#setLevel(subject, level)
  }

  deleteSubjectLevel(subject: string): Promise<CompatibilityLevel> {
    return this.#replica.run(async () => {
      const own = this.#state.subjectLevel(subject)
      if (own === undefined) throw registryErrors.subjectNotFound(subject)
      await this.#replica.append(configKey(subject), null)
      await this.#replica.catchUp()
      return own
    })
  }

  /**
   * Whether `request` could be registered as the subject's next version. `versionText`
   * names one version to check against ("latest" or a number); undefined checks against
   * the versions the subject's level asks for, as registering would.
   */
  async testCompatibility(
    subject: string,
    versionText: string | undefined,
    request: SchemaRequest,
    verbose: boolean,
  ): Promise<CompatibilityResult> {
    const version = versionText === undefined ? undefined : parseVersion(versionText)
    let candidate: AvroSchema
    try {
      candidate = this.#candidate(request)
    } catch (error) {
      // Confluent reports an unparsable schema as a verdict when asked to be verbose.
      if (!verbose || !(error instanceof RegistryError)) throw error
      return { compatible: false, messages: [error.message] }
    }
    return this.#replica.run(() => {
      let previous = this.#previous(subject)
      if (version === latestVersion) previous = previous.slice(0, 1)
      else if (version !== undefined) {
        previous = previous.filter((old) => old.version === version)
        if (previous.length === 0) throw registryErrors.versionNotFound(version)
      }
      const verdict = checkCompatibility(this.#level(subject), candidate, previous)
      return { compatible: verdict.compatible, messages: verdict.reasons }
    })
  }

  async #setLevel(subject: string | null, level: unknown): Promise<CompatibilityLevel> {
    if (!isCompatibilityLevel(level)) throw registryErrors.invalidLevel(level)
    return this.#replica.run(async () => {
      await this.#replica.append(configKey(subject), configValue(level))
      await this.#replica.catchUp()
      return level
    })
  }

  #candidate(request: SchemaRequest): AvroSchema {
    const { schema, schemaType, references } = request
    if (schemaType !== undefined && schemaType !== null && schemaType !== 'AVRO') {
      throw registryErrors.invalidSchema(
        `Invalid schema: schemaType ${JSON.stringify(schemaType)} is not supported; the embedded registry supports only AVRO. Use an external registry for JSON Schema or Protobuf.`,
      )
    }
    if (Array.isArray(references) && references.length > 0) {
      throw registryErrors.invalidSchema(
        'Invalid schema: schema references are not supported by the embedded registry. Inline the referenced types.',
      )
    }
    if (typeof schema !== 'string' || schema.trim() === '') {
      throw registryErrors.invalidSchema(
        'Invalid schema: the request has no "schema" string. Send {"schema": "<Avro schema as JSON text>"}.',
      )
    }
    try {
      return parseAvroSchema(schema)
    } catch (error) {
      throw registryErrors.invalidSchema(errorMessage(error), error)
    }
  }

  /** The newest version of the subject holding this schema. */
  #find(subject: string, canonical: string, includeDeleted: boolean): SchemaValue | undefined {
    return this.#state
      .versions(subject, includeDeleted)
      .findLast((value) => value.schema === canonical)
  }

  #level(subject: string): CompatibilityLevel {
    return this.#state.subjectLevel(subject) ?? this.#state.globalLevel() ?? this.#defaultLevel
  }

  /** Non-deleted versions, newest first, as the compatibility check wants them. */
  #previous(subject: string): PreviousVersion[] {
    return this.#state
      .versions(subject, false)
      .reverse()
      .map((value) => ({ version: value.version, schema: this.#parse(value.schema) }))
  }

  #parse(canonical: string): AvroSchema {
    let parsed = this.#parsed.get(canonical)
    if (parsed === undefined) {
      parsed = parseAvroSchema(canonical)
      this.#parsed.set(canonical, parsed)
    }
    return parsed
  }
}

function stored(value: SchemaValue): StoredSchema {
  const { subject, version, id, schema } = value
  return { subject, version, id, schema }
}
