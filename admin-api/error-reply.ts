import { findCdcError } from '../common/errors.ts'
import type { CdcError, ErrorCode } from '../common/errors.ts'
import { clip } from './clip.ts'
import { maxConnectorNameLength } from './connector-name.ts'
import { validationMessage } from './validation-message.ts'
import type { SchemaIssue } from './validation-message.ts'

/** Kafka Connect's error body, plus our stable code. */
export interface ConnectErrorBody {
  error_code: number
  message: string
  code: ErrorCode
}

export interface ErrorReply {
  statusCode: number
  body: ConnectErrorBody
  /** A server-side failure: the service log gets the details (for CDC_API_INTERNAL only there). */
  serverError: boolean
}

const statusByCode: Partial<Record<ErrorCode, number>> = {
  CDC_CONFIG_INVALID: 400,
  CDC_API_BAD_REQUEST: 400,
  CDC_API_UNAUTHORIZED: 401,
  CDC_API_CONNECTOR_NOT_FOUND: 404,
  CDC_API_PLUGIN_NOT_FOUND: 404,
  CDC_API_TASK_NOT_FOUND: 404,
  CDC_API_ROUTE_NOT_FOUND: 404,
  CDC_API_METHOD_NOT_ALLOWED: 405,
  CDC_API_CONNECTOR_EXISTS: 409,
  CDC_API_CONFLICT: 409,
  CDC_API_REBALANCING: 409,
  CDC_API_BODY_TOO_LARGE: 413,
  CDC_API_UNSUPPORTED_MEDIA_TYPE: 415,
  CDC_API_INTERNAL: 500,
}

export const internalErrorMessage =
  'The admin API hit an unexpected internal error; the service log has the details for this request id. Try again, and report it if it persists.'

export function reply(statusCode: number, code: ErrorCode, message: string): ErrorReply {
  return {
    statusCode,
    body: { error_code: statusCode, message, code },
    serverError: statusCode >= 500,
  }
}

function isIssueList(value: unknown): value is Array<{ field: string; message: string }> {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (issue: unknown) =>
        typeof issue === 'object' &&
        issue !== null &&
        typeof (issue as { field?: unknown }).field === 'string' &&
        typeof (issue as { message?: unknown }).message === 'string',
    )
  )
}

/** Like Kafka Connect's message for an invalid config: every bad field, one a line. */
function configInvalidMessage(error: CdcError): string {
  const issues = error.details.issues
  if (!isIssueList(issues)) return error.message
  const lines = issues.map((issue) => `${issue.field}: ${issue.message}`)
  return [
    `Connector configuration is invalid and contains the following ${issues.length} error(s):`,
    ...lines,
    'Fix these fields and submit the config again; PUT /connector-plugins/{plugin}/config/validate shows the same list per field.',
  ].join('\n')
}

function fromCdcError(error: CdcError): ErrorReply {
  const status = statusByCode[error.code] ?? (error.retriable ? 503 : 500)
  const message = error.code === 'CDC_CONFIG_INVALID' ? configInvalidMessage(error) : error.message
  return reply(status, error.code, message)
}

interface FastifyLikeError {
  code?: unknown
  statusCode?: unknown
  message?: unknown
  validation?: unknown
  validationContext?: unknown
}

function fromFastifyError(
  error: FastifyLikeError,
  contentType: string | undefined,
): ErrorReply | undefined {
  if (Array.isArray(error.validation)) {
    const context = typeof error.validationContext === 'string' ? error.validationContext : 'body'
    return reply(
      400,
      'CDC_API_BAD_REQUEST',
      validationMessage(context, error.validation as SchemaIssue[]),
    )
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return reply(
        415,
        'CDC_API_UNSUPPORTED_MEDIA_TYPE',
        `Content-Type ${contentType === undefined ? '(none)' : `"${clip(contentType, 100)}"`} is not supported; send the body as JSON with "Content-Type: application/json".`,
      )
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply(
        413,
        'CDC_API_BODY_TOO_LARGE',
        'The request body is larger than the admin API accepts; connector configs are far smaller, check what is being sent.',
      )
    case 'FST_ERR_BAD_URL':
      return reply(
        400,
        'CDC_API_BAD_REQUEST',
        'The URL path is not valid percent-encoded UTF-8; encode each path segment (e.g. with encodeURIComponent).',
      )
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return reply(
        400,
        'CDC_API_BAD_REQUEST',
        `A path segment is too long; connector names have at most ${maxConnectorNameLength} characters.`,
      )
    default:
      break
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    const message = typeof error.message === 'string' ? clip(error.message, 300) : 'Bad request'
    return reply(error.statusCode, 'CDC_API_BAD_REQUEST', `Invalid request: ${message}.`)
  }
  return undefined
}

/** Maps anything a route, hook or the framework threw to a status and Connect's error body. */
export function errorReply(error: unknown, contentType?: string): ErrorReply {
  const cdc = findCdcError(error)
  if (cdc !== undefined) return fromCdcError(cdc)
  if (typeof error === 'object' && error !== null) {
    const framework = fromFastifyError(error, contentType)
    if (framework !== undefined) return framework
  }
  return reply(500, 'CDC_API_INTERNAL', internalErrorMessage)
}
