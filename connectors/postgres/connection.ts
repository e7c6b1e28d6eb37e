import pg from 'pg'
import type { PostgresConnection } from './config.ts'
import { classifyPgError } from './pg-errors.ts'

/**
 * Session settings pinned on every connection, replication and snapshot alike: values are
 * converted from the server's text, and that text depends on them.
 */
export const sessionSettings: Readonly<Record<string, string>> = {
  TimeZone: 'UTC',
  DateStyle: 'ISO',
  IntervalStyle: 'iso_8601',
  extra_float_digits: '3',
  bytea_output: 'hex',
  lc_monetary: 'C',
}

const startupOptions = Object.entries(sessionSettings)
  .map(([name, value]) => `-c ${name}=${value}`)
  .join(' ')

/** Every value arrives as the server's exact text; converting is type-mapping's job. */
const identityTypes = { getTypeParser: () => (value: string) => value }

type SslConfig = pg.ClientConfig['ssl']

/** The TLS settings to try, in order, for a `database.sslmode`. */
export function sslAttempts(mode: PostgresConnection['sslMode']): SslConfig[] {
  const unverified = { rejectUnauthorized: false }
  switch (mode) {
    case 'disable':
      return [false]
    case 'allow':
      return [false, unverified]
    case 'prefer':
      return [unverified, false]
    case 'require':
      return [unverified]
    case 'verify-ca':
      return [{ rejectUnauthorized: true, checkServerIdentity: () => undefined }]
    case 'verify-full':
      return [{ rejectUnauthorized: true }]
  }
}

export function clientConfig(
  connection: PostgresConnection,
  options: { applicationName: string; replication?: boolean; ssl?: SslConfig },
): pg.ClientConfig {
  return {
    host: connection.host,
    port: connection.port,
    user: connection.user,
    database: connection.database,
    ...(connection.password === null ? {} : { password: connection.password }),
    application_name: options.applicationName,
    options: startupOptions,
    types: identityTypes,
    ssl: options.ssl ?? false,
    ...(options.replication === true ? { replication: 'database' } : {}),
  }
}

/** The TLS setting that worked for a connection config, tried first next time. */
const workingSsl = new WeakMap<PostgresConnection, SslConfig>()

/** A config for a client another library opens (the replication stream), with working TLS. */
export function preferredClientConfig(
  connection: PostgresConnection,
  options: { applicationName: string; replication?: boolean },
): pg.ClientConfig {
  return clientConfig(connection, {
    ...options,
    ssl: workingSsl.get(connection) ?? sslAttempts(connection.sslMode)[0],
  })
}

/** Connects with the first TLS setting the server accepts; failures become CdcErrors. */
export async function connectClient(
  connection: PostgresConnection,
  options: { applicationName: string; replication?: boolean },
): Promise<pg.Client> {
  const known = workingSsl.get(connection)
  const attempts = known === undefined ? sslAttempts(connection.sslMode) : [known]
  let lastError: unknown
  for (const ssl of attempts) {
    const client = new pg.Client(clientConfig(connection, { ...options, ssl }))
    // An idle client that loses its socket emits 'error'; without a listener that crashes the process.
    client.on('error', () => undefined)
    try {
      await client.connect()
      workingSsl.set(connection, ssl)
      return client
    } catch (error) {
      lastError = error
      await client.end().catch(() => undefined)
    }
  }
  throw classifyPgError(
    lastError,
    `connecting to ${connection.host}:${connection.port}/${connection.database}`,
  )
}

/** Double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Single-quoted SQL literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`
}
