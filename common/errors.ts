/**
 * Every error the service raises on purpose carries a stable code from this catalog, a
 * message that says what is wrong and what to do, and whether retrying can help. Codes are
 * never reused for another meaning once released; docs/errors.md lists each one.
 */
export const errorCodes = [
  // configuration and input
  'CDC_CONFIG_INVALID',
  // admin API
  'CDC_API_BAD_REQUEST',
  'CDC_API_UNAUTHORIZED',
  'CDC_API_CONNECTOR_NOT_FOUND',
  'CDC_API_CONNECTOR_EXISTS',
  'CDC_API_PLUGIN_NOT_FOUND',
  'CDC_API_CONFLICT',
  'CDC_API_REBALANCING',
  // service runtime
  'CDC_CONNECTOR_CRASHED',
  // Kafka
  'CDC_KAFKA_CONNECTION',
  'CDC_KAFKA_PRODUCE_FAILED',
  'CDC_KAFKA_TRANSACTION_FAILED',
  'CDC_KAFKA_TOPIC_CONFIG',
  'CDC_KAFKA_RECORD_TOO_LARGE',
  // schema registry
  'CDC_REG_INCOMPATIBLE_SCHEMA',
  'CDC_REG_INVALID_SCHEMA',
  'CDC_REG_UNAVAILABLE',
  'CDC_REG_REQUEST_FAILED',
  'CDC_REG_STORE_FAILED',
  // envelope and serialization
  'CDC_ENVELOPE_INVALID_VALUE',
  'CDC_ENVELOPE_UNSUPPORTED_TYPE',
  'CDC_ENVELOPE_INVALID_NAME',
  // decoders
  'CDC_DECODE_UNKNOWN_MESSAGE',
  'CDC_DECODE_TRUNCATED',
  'CDC_DECODE_INVALID',
  'CDC_DECODE_CHECKSUM',
  // PostgreSQL source
  'CDC_PG_CONNECTION',
  'CDC_PG_AUTH',
  'CDC_PG_PRIVILEGE',
  'CDC_PG_WAL_LEVEL',
  'CDC_PG_PUBLICATION',
  'CDC_PG_REPLICA_IDENTITY',
  'CDC_PG_SLOT_IN_USE',
  'CDC_PG_SLOT_LOST',
  'CDC_PG_POSITION_UNAVAILABLE',
  'CDC_PG_QUERY_FAILED',
  // schema registry (embedded registry API, `_schemas` log, wire format)
  'CDC_REG_NOT_FOUND',
  'CDC_REG_INVALID_REQUEST',
  'CDC_REG_LOG_INVALID',
  'CDC_REG_WIRE_FORMAT',
  // MySQL/MariaDB binlog decoder
  'CDC_DECODE_UNSUPPORTED',
  // admin API: HTTP-level problems that no ConnectService call raises
  'CDC_API_TASK_NOT_FOUND',
  'CDC_API_ROUTE_NOT_FOUND',
  'CDC_API_METHOD_NOT_ALLOWED',
  'CDC_API_UNSUPPORTED_MEDIA_TYPE',
  'CDC_API_BODY_TOO_LARGE',
  'CDC_API_INTERNAL',
  // enrichment (stream-table joins)
  'CDC_ENRICH_INPUT_INVALID',
  'CDC_ENRICH_POSITION_MISMATCH',
  'CDC_ENRICH_KEY_MISMATCH',
  'CDC_ENRICH_SCHEMA_UNKNOWN',
  'CDC_ENRICH_STORE_FAILED',
  // MySQL/MariaDB source
  'CDC_MYSQL_CONNECTION',
  'CDC_MYSQL_AUTH',
  'CDC_MYSQL_PRIVILEGE',
  'CDC_MYSQL_BINLOG_CONFIG',
  'CDC_MYSQL_SERVER_ID_CLASH',
  'CDC_MYSQL_POSITION_UNAVAILABLE',
  'CDC_MYSQL_SCHEMA_MISMATCH',
  'CDC_MYSQL_BINLOG_INCIDENT',
  'CDC_MYSQL_QUERY_FAILED',
] as const

export type ErrorCode = (typeof errorCodes)[number]

export interface CdcErrorOptions {
  cause?: unknown
  /** True when the same operation may succeed later (connection loss, broker restart). */
  retriable?: boolean
  /** Extra facts for logs and status bodies (connector name, position, subject, ...). */
  details?: Record<string, unknown>
}

const brand = Symbol.for('cdc.error')

export class CdcError extends Error {
  readonly code: ErrorCode
  readonly retriable: boolean
  readonly details: Record<string, unknown>
  readonly [brand] = true

  constructor(code: ErrorCode, message: string, options: CdcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'CdcError'
    this.code = code
    this.retriable = options.retriable ?? false
    this.details = options.details ?? {}
  }

  toJSON(): {
    code: ErrorCode
    message: string
    retriable: boolean
    details: Record<string, unknown>
  } {
    return {
      code: this.code,
      message: this.message,
      retriable: this.retriable,
      details: this.details,
    }
  }
}

/** Brand check that also works across copies of this module. */
export function isCdcError(value: unknown): value is CdcError {
  return typeof value === 'object' && value !== null && brand in value
}

/** The first CdcError in an error's cause chain, if any. */
export function findCdcError(error: unknown): CdcError | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 16 && current !== undefined && current !== null; depth++) {
    if (isCdcError(current)) return current
    current = current instanceof Error ? current.cause : undefined
  }
  return undefined
}

/** A readable message from anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return typeof error === 'string' ? error : JSON.stringify(error)
}
