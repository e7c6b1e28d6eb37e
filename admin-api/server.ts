import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { CdcError } from '../common/errors.ts'

export interface AdminServerOptions {
  /** Loopback by default: exposing the admin API is a deliberate choice (and wants a token). */
  host?: string
  /** 8083, Kafka Connect's port; 0 picks a free one. */
  port?: number
}

export interface AdminServer {
  /** Base URL, e.g. http://127.0.0.1:8083 */
  url: string
  host: string
  port: number
  /** Stops accepting connections and waits for requests in flight. */
  close(): Promise<void>
}

/** The one place that listens; buildAdminApp() builds the app without a socket. */
export async function startAdminServer(
  app: FastifyInstance,
  { host = '127.0.0.1', port = 8083 }: AdminServerOptions = {},
): Promise<AdminServer> {
  try {
    await app.listen({ host, port })
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw new CdcError(
      'CDC_CONFIG_INVALID',
      code === 'EADDRINUSE'
        ? `The admin API cannot listen on ${host}:${port}: the port is in use; stop the other process or choose another port.`
        : `The admin API cannot listen on ${host}:${port} (${typeof code === 'string' ? code : 'unknown error'}); check the host and port settings.`,
      { cause: error, details: { host, port } },
    )
  }
  const address = app.server.address() as AddressInfo
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    close: () => app.close(),
  }
}
