import { CdcError } from '../../common/errors.ts'
import { parseAvroSchema } from '../avro-schema.ts'
import { isCompatibilityLevel, type CompatibilityLevel } from '../compatibility.ts'
import type {
  CompatibilityReport,
  SchemaRegistryClient,
  SubjectVersion,
} from '../schema-registry.ts'
import { RegistryHttp, registryErrorCode, type RegistryHttpOptions } from './registry-http.ts'

export type ConfluentRegistryClientOptions = RegistryHttpOptions

/**
 * SchemaRegistryClient over the Confluent REST API (Confluent, Apicurio's ccompat API, the
 * embedded registry). Plain fetch rather than @kafkajs/confluent-schema-registry: the
 * library has no compatibility-check or config-with-default call, refuses to register
 * schemas that are not named types, turns a refused connection into an HTTP-400-shaped
 * error, and returns schemas as avsc types whose longs are lossy JS numbers.
 */
export class ConfluentRegistryClient implements SchemaRegistryClient {
  readonly #http: RegistryHttp
  /** Schema text as given -> canonical text, so each spelling is parsed once. */
  readonly #canonical = new Map<string, string>()
  /** subject -> canonical schema -> id; a pending registration is shared by its callers. */
  readonly #ids = new Map<string, Map<string, Promise<number>>>()
  readonly #schemas = new Map<number, Promise<string>>()

  constructor(options: ConfluentRegistryClientOptions) {
    this.#http = new RegistryHttp(options)
  }

  async register(subject: string, schema: string): Promise<number> {
    const canonical = this.#canonicalOf(schema)
    let bySchema = this.#ids.get(subject)
    if (bySchema === undefined) {
      bySchema = new Map()
      this.#ids.set(subject, bySchema)
    }
    const cached = bySchema.get(canonical)
    if (cached !== undefined) return cached
    const pending = this.#registerRemote(subject, canonical)
    bySchema.set(canonical, pending)
    const forget = bySchema
    pending.catch(() => forget.delete(canonical))
    return pending
  }

  schemaById(id: number): Promise<string> {
    const cached = this.#schemas.get(id)
    if (cached !== undefined) return cached
    const pending = this.#fetchSchema(id)
    this.#schemas.set(id, pending)
    pending.catch(() => this.#schemas.delete(id))
    return pending
  }

  async latestVersion(subject: string): Promise<SubjectVersion | undefined> {
    try {
      const body = await this.#http.request('GET', `${subjectPath(subject)}/versions/latest`)
      const { version, id, schema } = record(body)
      if (typeof version !== 'number' || typeof id !== 'number' || typeof schema !== 'string') {
        throw this.#unexpected(`GET ${subjectPath(subject)}/versions/latest`, body)
      }
      return { subject, version, id, schema }
    } catch (error) {
      if (isNotFound(error, 40401, 40402)) return undefined
      throw error
    }
  }

  async compatibilityLevel(subject: string): Promise<CompatibilityLevel> {
    let body: unknown
    try {
      body = await this.#http.request('GET', `/config/${encode(subject)}?defaultToGlobal=true`)
    } catch (error) {
      // Apicurio answers 40401 for a subject it has never seen instead of the global level.
      if (!isNotFound(error, 40401, 40408)) throw error
      body = await this.#http.request('GET', '/config')
    }
    const level = record(body).compatibilityLevel
    if (!isCompatibilityLevel(level)) throw this.#unexpected(`GET /config/${subject}`, body)
    return level
  }

  async testCompatibility(subject: string, schema: string): Promise<CompatibilityReport> {
    const level = await this.compatibilityLevel(subject)
    return this.#test(subject, this.#canonicalOf(schema), level)
  }

  async #registerRemote(subject: string, schema: string): Promise<number> {
    const existing = await this.#lookup(subject, schema)
    if (existing !== undefined) return existing
    const level = await this.compatibilityLevel(subject)
    if (level !== 'NONE') {
      const report = await this.#test(subject, schema, level)
      if (!report.compatible) throw incompatible(subject, level, report.messages)
    }
    let body: unknown
    try {
      body = await this.#http.request('POST', `${subjectPath(subject)}/versions`, { schema })
    } catch (error) {
      if (error instanceof CdcError && error.code === 'CDC_REG_INCOMPATIBLE_SCHEMA') {
        const said = error.details.registryMessage
        throw incompatible(subject, level, [typeof said === 'string' ? said : error.message])
      }
      throw error
    }
    const id = record(body).id
    if (typeof id !== 'number')
      throw this.#unexpected(`POST ${subjectPath(subject)}/versions`, body)
    return id
  }

  async #lookup(subject: string, schema: string): Promise<number | undefined> {
    try {
      const body = await this.#http.request('POST', subjectPath(subject), { schema })
      const id = record(body).id
      return typeof id === 'number' ? id : undefined
    } catch (error) {
      if (isNotFound(error, 40401, 40403)) return undefined
      throw error
    }
  }

  async #test(
    subject: string,
    schema: string,
    level: CompatibilityLevel,
  ): Promise<CompatibilityReport> {
    // "latest" checks one version only; the versions endpoint applies the transitive level.
    const versions = level.endsWith('_TRANSITIVE') ? '/versions' : '/versions/latest'
    const path = `/compatibility${subjectPath(subject)}${versions}?verbose=true`
    let body: unknown
    try {
      body = await this.#http.request('POST', path, { schema })
    } catch (error) {
      // Older registries answer 40401 where newer ones say a new subject is compatible.
      if (isNotFound(error, 40401)) return { compatible: true, level, messages: [] }
      throw error
    }
    const { is_compatible: compatible, messages } = record(body)
    if (typeof compatible !== 'boolean') throw this.#unexpected(`POST ${path}`, body)
    const said = Array.isArray(messages) ? messages.map(String) : []
    return { compatible, level, messages: said }
  }

  async #fetchSchema(id: number): Promise<string> {
    const body = await this.#http.request('GET', `/schemas/ids/${id}`)
    const { schema, schemaType } = record(body)
    if (typeof schema !== 'string') throw this.#unexpected(`GET /schemas/ids/${id}`, body)
    if (schemaType !== undefined && schemaType !== 'AVRO') {
      throw new CdcError(
        'CDC_REG_INVALID_SCHEMA',
        `Schema id ${id} is a ${JSON.stringify(schemaType)} schema; only AVRO schemas are supported. Check which serializer wrote the record.`,
        { details: { id, schemaType } },
      )
    }
    return schema
  }

  #canonicalOf(schema: string): string {
    let canonical = this.#canonical.get(schema)
    if (canonical === undefined) {
      canonical = parseAvroSchema(schema).canonical
      this.#canonical.set(schema, canonical)
    }
    return canonical
  }

  #unexpected(call: string, body: unknown): CdcError {
    return new CdcError(
      'CDC_REG_REQUEST_FAILED',
      `The schema registry at ${this.#http.url} answered ${call} with an unexpected body: ${describe(body)}. Check that the URL points at a Confluent-compatible API.`,
      { details: { url: this.#http.url, call } },
    )
  }
}

function incompatible(subject: string, level: CompatibilityLevel, messages: string[]): CdcError {
  const why = messages.length > 0 ? messages.join('; ') : 'the registry gave no details'
  return new CdcError(
    'CDC_REG_INCOMPATIBLE_SCHEMA',
    `The new schema for subject "${subject}" is not ${level} compatible with its registered versions, so it was not registered: ${why}. Change the table back, or change the subject's compatibility level (PUT /config/${subject}), then resume.`,
    { details: { subject, level, messages } },
  )
}

function isNotFound(error: unknown, ...codes: number[]): boolean {
  const code = registryErrorCode(error)
  return code !== undefined && codes.includes(code)
}

function record(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
}

function encode(subject: string): string {
  return encodeURIComponent(subject)
}

function subjectPath(subject: string): string {
  return `/subjects/${encode(subject)}`
}

function describe(body: unknown): string {
  return body === undefined ? 'an empty body' : JSON.stringify(body).slice(0, 300)
}
