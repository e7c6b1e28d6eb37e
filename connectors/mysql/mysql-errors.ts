import { CdcError, isCdcError } from '../../common/errors.ts'

/**
 * Server error numbers (`errno`; mysql2 names MariaDB-only numbers after unrelated MySQL
 * codes, so only the number is trusted) grouped by what the connector can do about them.
 */
export const ErrorNumber = {
  ACCESS_DENIED_DB: 1044,
  ACCESS_DENIED_USER: 1045,
  TABLE_ACCESS_DENIED: 1142,
  COLUMN_ACCESS_DENIED: 1143,
  SPECIFIC_ACCESS_DENIED: 1227,
  FATAL_READING_BINLOG: 1236,
  MARIADB_SLAVE_SAME_ID: 4052,
} as const

/** Errors after which the same work can succeed on a new connection. */
const retriableNumbers = new Set([
  1040, // too many connections
  1053, // server shutdown in progress
  1205, // lock wait timeout
  1213, // deadlock
  1317, // query interrupted
  1412, // table definition changed under a snapshot transaction: a new snapshot works
  1927, // connection was killed (MariaDB)
  2006, // server has gone away
  2013, // lost connection during query
  3024, // maximum statement execution time exceeded
])
const retriableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
])
const privilegeNumbers = new Set([
  ErrorNumber.ACCESS_DENIED_DB,
  ErrorNumber.TABLE_ACCESS_DENIED,
  ErrorNumber.COLUMN_ACCESS_DENIED,
  ErrorNumber.SPECIFIC_ACCESS_DENIED,
  1370, // procedure access denied
])

interface DriverError {
  errno?: unknown
  code?: unknown
  sqlState?: unknown
  message?: unknown
}

function fields(error: unknown): { errno: number | null; code: string; text: string } {
  const driver: DriverError =
    typeof error === 'object' && error !== null ? error : { message: String(error) }
  return {
    errno: typeof driver.errno === 'number' ? driver.errno : null,
    code: typeof driver.code === 'string' ? driver.code : '',
    text: typeof driver.message === 'string' ? driver.message : String(error),
  }
}

/** Whether an error came from mysql2 or the server (it has an errno or an error code). */
export function isDriverError(error: unknown): boolean {
  const { errno, code } = fields(error)
  return errno !== null || code !== ''
}

/** True when a server error says another replica took this server id (MySQL and MariaDB). */
export function isServerIdClash(errno: number | null, text: string): boolean {
  return (
    errno === ErrorNumber.MARIADB_SLAVE_SAME_ID ||
    /slave with the same server_uuid\/server_id|replica with the same server_uuid\/server_id/i.test(
      text,
    )
  )
}

/**
 * Turns anything mysql2 or the server throws into a CdcError at the adapter boundary:
 * connection trouble and server shutdowns are retriable; logins, privileges, purged
 * positions and server id clashes are not, since retrying cannot fix them.
 */
export function classifyMysqlError(error: unknown, doing: string): CdcError {
  if (isCdcError(error)) return error
  const { errno, code, text } = fields(error)
  const details = { errno: errno ?? undefined, code: code || undefined, doing }
  const options = { cause: error, details }
  if (isServerIdClash(errno, text)) {
    return new CdcError(
      'CDC_MYSQL_SERVER_ID_CLASH',
      `another replica or connector connected with the same server id while ${doing}, so the server dropped this one: ${text}. Give this connector its own database.server.id (unique among all replicas and connectors of the server)`,
      options,
    )
  }
  if (errno === ErrorNumber.FATAL_READING_BINLOG) {
    return new CdcError(
      'CDC_MYSQL_POSITION_UNAVAILABLE',
      `the server cannot send the binlog from the requested position while ${doing}: ${text}. The binlog files or GTIDs it needs are gone (purged) or never existed; set snapshot.mode=when_needed to take a new snapshot instead, or delete the connector's stored position`,
      options,
    )
  }
  if (errno === ErrorNumber.ACCESS_DENIED_USER) {
    return new CdcError(
      'CDC_MYSQL_AUTH',
      `the server rejected the login while ${doing}: ${text}. Check database.user, database.password and the user's host`,
      options,
    )
  }
  if (errno !== null && privilegeNumbers.has(errno)) {
    return new CdcError(
      'CDC_MYSQL_PRIVILEGE',
      `permission denied while ${doing}: ${text}. Grant the privilege to database.user`,
      options,
    )
  }
  if (
    (errno !== null && retriableNumbers.has(errno)) ||
    retriableCodes.has(code) ||
    /connection lost|closed state|server has gone away|socket hang up/i.test(text)
  ) {
    return new CdcError('CDC_MYSQL_CONNECTION', `connection failed while ${doing}: ${text}`, {
      ...options,
      retriable: true,
    })
  }
  return new CdcError(
    'CDC_MYSQL_QUERY_FAILED',
    `server error while ${doing}${errno === null ? '' : ` (error ${errno})`}: ${text}`,
    options,
  )
}
