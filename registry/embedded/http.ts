import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { errorMessage } from '../../common/errors.ts'
import { registryErrors, RegistryError } from './registry-error.ts'
import type { SchemaRequest, SchemaStore } from './schema-store.ts'

const contentType = 'application/vnd.schemaregistry.v1+json'

/** Modes Confluent knows; this registry only ever runs READWRITE. */
const modes = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT']

export interface HttpErrorLogger {
  error(message: string, fields?: Record<string, unknown>): void
}

type Params = { subject: string; version: string; id: string }
type Query = { deleted?: string; permanent?: string; defaultToGlobal?: string; verbose?: string }
type Request = FastifyRequest<{ Params: Params; Querystring: Query; Body: unknown }>

/**
 * The Confluent Schema Registry REST API over a SchemaStore: routes, bodies and error
 * shapes only. Every request body is read as JSON whatever its content type (clients send
 * application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json or
 * application/json); answers are application/vnd.schemaregistry.v1+json, errors
 * `{error_code, message}` with Confluent's codes.
 */
export function registerRoutes(
  app: FastifyInstance,
  store: SchemaStore,
  log?: HttpErrorLogger,
): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text.trim() === '') {
      done(null, undefined)
      return
    }
    try {
      done(null, JSON.parse(text))
    } catch (error) {
      done(
        registryErrors.badRequest(`The request body is not JSON: ${errorMessage(error)}`),
        undefined,
      )
    }
  })
  // Set last, so that Fastify's "; charset=utf-8" for JSON types does not stay: Confluent
  // answers the bare media type.
  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('content-type', contentType)
    return payload
  })
  app.setNotFoundHandler(async (request, reply) => {
    return reply
      .code(404)
      .send({ error_code: 404, message: `HTTP 404 Not Found: ${request.method} ${request.url}` })
  })
  app.setErrorHandler(async (error, request, reply) => {
    const { status, body } = errorAnswer(error)
    if (status >= 500)
      log?.error('schema registry request failed', {
        method: request.method,
        url: request.url,
        error: body.message,
      })
    return reply.code(status).send(body)
  })

  const flag = (value: string | undefined): boolean => value === 'true'
  const id = (text: string): number => {
    const parsed = /^\d+$/.test(text) ? Number(text) : Number.NaN
    if (!Number.isSafeInteger(parsed)) throw registryErrors.schemaNotFound()
    return parsed
  }

  app.get('/', () => ({}))
  app.get('/schemas/types', () => ['AVRO'])
  app.get('/schemas/ids/:id', async (request: Request) => store.schemaById(id(request.params.id)))
  app.get('/schemas/ids/:id/versions', async (request: Request) =>
    store.versionsById(id(request.params.id), flag(request.query.deleted)),
  )
  app.get('/schemas/ids/:id/subjects', async (request: Request) => {
    const versions = await store.versionsById(id(request.params.id), flag(request.query.deleted))
    return [...new Set(versions.map((version) => version.subject))]
  })

  app.get('/subjects', async (request: Request) => store.subjects(flag(request.query.deleted)))
  app.post('/subjects/:subject', async (request: Request) =>
    store.lookup(request.params.subject, schemaRequest(request.body), flag(request.query.deleted)),
  )
  app.delete('/subjects/:subject', async (request: Request) =>
    store.deleteSubject(request.params.subject, flag(request.query.permanent)),
  )
  app.get('/subjects/:subject/versions', async (request: Request) =>
    store.versions(request.params.subject, flag(request.query.deleted)),
  )
  app.post('/subjects/:subject/versions', async (request: Request) =>
    store.register(request.params.subject, schemaRequest(request.body)),
  )
  app.get('/subjects/:subject/versions/:version', async (request: Request) =>
    store.version(request.params.subject, request.params.version, flag(request.query.deleted)),
  )
  app.get('/subjects/:subject/versions/:version/schema', async (request: Request, reply) => {
    const { schema } = await store.version(
      request.params.subject,
      request.params.version,
      flag(request.query.deleted),
    )
    return reply.send(schema)
  })
  app.delete(
    '/subjects/:subject/versions/:version',
    async (request: Request, reply: FastifyReply) => {
      const version = await store.deleteVersion(
        request.params.subject,
        request.params.version,
        flag(request.query.permanent),
      )
      return reply.send(JSON.stringify(version))
    },
  )

  app.get('/config', async () => ({ compatibilityLevel: await store.globalLevel() }))
  app.put('/config', async (request: Request) => ({
    compatibility: await store.setGlobalLevel(levelOf(request.body)),
  }))
  app.delete('/config', async () => ({ compatibilityLevel: await store.deleteGlobalLevel() }))
  app.get('/config/:subject', async (request: Request) => ({
    compatibilityLevel: await store.subjectLevel(
      request.params.subject,
      flag(request.query.defaultToGlobal),
    ),
  }))
  app.put('/config/:subject', async (request: Request) => ({
    compatibility: await store.setSubjectLevel(request.params.subject, levelOf(request.body)),
  }))
  app.delete('/config/:subject', async (request: Request) => ({
    compatibilityLevel: await store.deleteSubjectLevel(request.params.subject),
  }))

  const compatibility = async (request: Request, version: string | undefined) => {
    const verbose = flag(request.query.verbose)
    const result = await store.testCompatibility(
      request.params.subject,
      version,
      schemaRequest(request.body),
      verbose,
    )
    return verbose
      ? { is_compatible: result.compatible, messages: result.messages }
      : { is_compatible: result.compatible }
  }
  app.post('/compatibility/subjects/:subject/versions/:version', async (request: Request) =>
    compatibility(request, request.params.version),
  )
  app.post('/compatibility/subjects/:subject/versions', async (request: Request) =>
    compatibility(request, undefined),
  )

  app.get('/mode', () => ({ mode: 'READWRITE' }))
  app.put('/mode', (request: Request) => ({ mode: modeOf(request.body) }))
  app.get('/mode/:subject', (request: Request) => {
    if (!flag(request.query.defaultToGlobal))
      throw registryErrors.subjectModeNotConfigured(request.params.subject)
    return { mode: 'READWRITE' }
  })
  app.put('/mode/:subject', (request: Request) => ({ mode: modeOf(request.body) }))
}

function schemaRequest(body: unknown): SchemaRequest {
  return fieldsOf(body)
}

function fieldsOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
}

function levelOf(body: unknown): unknown {
  const fields = fieldsOf(body)
  return fields.compatibility ?? fields.compatibilityLevel
}

/** Only READWRITE is served; the others are refused rather than pretended. */
function modeOf(body: unknown): string {
  const mode = fieldsOf(body).mode
  if (typeof mode !== 'string' || !modes.includes(mode)) throw registryErrors.invalidMode(mode)
  if (mode !== 'READWRITE') {
    throw registryErrors.operationNotPermitted(
      `Mode ${mode} is not supported: the embedded registry always runs READWRITE. Use an external registry to import schemas or freeze subjects.`,
    )
  }
  return mode
}

function errorAnswer(error: unknown): {
  status: number
  body: { error_code: number; message: string }
} {
  if (error instanceof RegistryError) {
    return { status: error.status, body: { error_code: error.errorCode, message: error.message } }
  }
  // Fastify's own errors (body too large, unsupported method, ...) carry their status.
  const status =
    typeof error === 'object' &&
    error !== null &&
    'statusCode' in error &&
    typeof error.statusCode === 'number'
      ? error.statusCode
      : 500
  return { status, body: { error_code: status, message: errorMessage(error) } }
}
