import { CdcError, isCdcError } from '../../common/errors.ts'

/** SQLSTATEs and socket errors after which the same work can succeed on a new connection. */
const retriableStates = new Set(['57P01', '57P02', '57P03', '53300', '53400', '40001', '40P01'])
const retriableSocketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])

interface DriverError {
  code?: unknown
  message?: unknown
  detail?: unknown
  hint?: unknown
}

function describe(error: DriverError): string {
  const parts = [typeof error.message === 'string' ? error.message : 'unknown error']
  if (typeof error.detail === 'string') parts.push(`detail: ${error.detail}`)
  if (typeof error.hint === 'string') parts.push(`hint: ${error.hint}`)
  return parts.join('; ')
}

/**
 * Turns anything `pg` throws into a CdcError at the adapter boundary: connection trouble
 * and server shutdowns are retriable; authentication, privileges and lost slots are not.
 */
export function classifyPgError(error: unknown, doing: string): CdcError {
  if (isCdcError(error)) return error
  const driver: DriverError =
    typeof error === 'object' && error !== null ? error : { message: String(error) }
  const code = typeof driver.code === 'string' ? driver.code : ''
  const text = describe(driver)
  const details = { sqlstate: code || undefined, doing }
  if (code.startsWith('28')) {
    return new CdcError(
      'CDC_PG_AUTH',
      `PostgreSQL rejected the login while ${doing}: ${text}. Check database.user, database.password and pg_hba.conf.`,
      { cause: error, details },
    )
  }
  if (code === '42501') {
    return new CdcError(
      'CDC_PG_PRIVILEGE',
      `permission denied while ${doing}: ${text}. Grant the privilege to database.user.`,
      { cause: error, details },
    )
  }
  if (code === '55006') {
    return new CdcError(
      'CDC_PG_SLOT_IN_USE',
      `replication slot busy while ${doing}: ${text}. Another process holds it; it is retried, or end that backend with pg_terminate_backend(pid).`,
      { cause: error, details, retriable: true },
    )
  }
  if (code === '55000' && /invalidated|cannot read from logical replication slot/i.test(text)) {
    return new CdcError(
      'CDC_PG_SLOT_LOST',
      `replication slot lost while ${doing}: ${text}. Drop the slot and take a new snapshot, or set snapshot.mode=when_needed.`,
      { cause: error, details },
    )
  }
  const socketCode = code !== '' && !/^[0-9A-Z]{5}$/.test(code) ? code : ''
  if (
    code.startsWith('08') ||
    retriableStates.has(code) ||
    retriableSocketCodes.has(socketCode) ||
    /connection terminated|terminating connection|server closed the connection|Client was closed|not queryable|timeout expired/i.test(
      text,
    )
  ) {
    return new CdcError(
      'CDC_PG_CONNECTION',
      `PostgreSQL connection failed while ${doing}: ${text}`,
      { cause: error, details, retriable: true },
    )
  }
  return new CdcError(
    'CDC_PG_QUERY_FAILED',
    `PostgreSQL error while ${doing}${code === '' ? '' : ` (SQLSTATE ${code})`}: ${text}`,
    { cause: error, details },
  )
}
