import Fastify, { type FastifyInstance } from 'fastify'
import type { CompatibilityLevel } from '../compatibility.ts'
import { registerRoutes, type HttpErrorLogger } from './http.ts'
import type { SchemaLog } from './schema-log.ts'
import { SchemaStore } from './schema-store.ts'

export interface EmbeddedRegistryOptions {
  /** Where the state lives; the registry closes it on close(). */
  log: SchemaLog
  /** Receives 5xx answers (store failures); nothing else is logged. */
  logger?: HttpErrorLogger
  /** The level while no global one is set (default BACKWARD, as Confluent). */
  defaultLevel?: CompatibilityLevel
}

export interface EmbeddedRegistry {
  /** The Confluent-compatible API, not listening; `app.inject` works without a socket. */
  app: FastifyInstance
  store: SchemaStore
  /** Reads the log to its end and listens; resolves with the base URL clients use. */
  listen(host: string, port: number): Promise<string>
  /** Stops listening, then closes the log. */
  close(): Promise<void>
}

/** The registry the service runs when no external one is configured. */
export function createEmbeddedRegistry(options: EmbeddedRegistryOptions): EmbeddedRegistry {
  const store = new SchemaStore(options.log, { defaultLevel: options.defaultLevel })
  const app = Fastify({ logger: false })
  registerRoutes(app, store, options.logger)
  return {
    app,
    store,
    async listen(host, port) {
      await store.sync()
      await app.listen({ host, port })
      const address = app.server.address()
      const bound = typeof address === 'object' && address !== null ? address.port : port
      return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`
    },
    async close() {
      try {
        await app.close()
      } finally {
        await options.log.close()
      }
    },
  }
}
