import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { CdcError, findCdcError } from '../common/errors.ts'
import { clip } from './clip.ts'
import { errorReply } from './error-reply.ts'
import type { RouteTable } from './route-table.ts'
import { scrubSecrets, secretValues } from './secrets.ts'

const maxMessageLength = 10_000

/** Secret values the request itself carried (POST body `config`, or a config map body). */
function requestSecrets(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return []
  const record = body as Record<string, unknown>
  const nested = record.config
  const fromNested =
    typeof nested === 'object' && nested !== null && !Array.isArray(nested)
      ? secretValues(nested as Record<string, unknown>)
      : []
  return [...fromNested, ...secretValues(record)].sort((a, b) => b.length - a.length)
}

function logFields(error: unknown, secrets: readonly string[]): Record<string, unknown> {
  const scrub = (text: string): string => scrubSecrets(text, secrets)
  if (!(error instanceof Error)) return { thrown: scrub(String(error)) }
  const cdc = findCdcError(error)
  return {
    type: error.name,
    code: cdc?.code,
    retriable: cdc?.retriable,
    message: scrub(error.message),
    stack: error.stack === undefined ? undefined : scrub(error.stack),
    details: cdc === undefined ? undefined : scrub(detailsText(cdc.details)),
    cause: error.cause instanceof Error ? scrub(error.cause.message) : undefined,
  }
}

function detailsText(details: Record<string, unknown>): string {
  try {
    return JSON.stringify(details, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    )
  } catch (error) {
    return `details not serializable: ${error instanceof Error ? error.message : String(error)}`
  }
}

/** Sends Connect's error body; 5xx are logged with their details, which the body never carries. */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
): FastifyReply {
  const result = errorReply(error, request.headers['content-type'])
  const secrets = requestSecrets(request.body)
  // Capped because some messages quote client input (a 1 MB connector.class, say).
  const body = {
    ...result.body,
    message: clip(scrubSecrets(result.body.message, secrets), maxMessageLength),
  }
  if (result.body.code === 'CDC_API_INTERNAL') {
    body.message = `${body.message} (request id ${request.id})`
  }
  if (result.serverError) {
    request.log.error({ failure: logFields(error, secrets) }, 'admin API request failed')
  } else {
    request.log.info(
      { code: body.code, statusCode: result.statusCode },
      'admin API request refused',
    )
  }
  if (result.statusCode === 401) void reply.header('www-authenticate', 'Bearer')
  return reply.code(result.statusCode).type('application/json; charset=utf-8').send(body)
}

/** One error shape for route errors, unknown paths, wrong methods and URLs the router refuses. */
export function installErrorHandling(app: FastifyInstance, routes: RouteTable): void {
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error))

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/'
    const allowed = routes.methodsFor(path)
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      const error = new CdcError(
        'CDC_API_METHOD_NOT_ALLOWED',
        `${request.method} is not allowed on ${clip(path)}; it accepts ${allowed.join(', ')}.`,
      )
      return sendError(request, reply.header('allow', allowed.join(', ')), error)
    }
    const error = new CdcError(
      'CDC_API_ROUTE_NOT_FOUND',
      `No endpoint answers ${request.method} ${clip(path)}; GET /docs lists the endpoints.`,
    )
    return sendError(request, reply, error)
  })
}
