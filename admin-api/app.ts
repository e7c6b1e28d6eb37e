import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fastify from 'fastify'
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify'
import { CdcError } from '../common/errors.ts'
import { bearerTokenError, isPublicEndpoint } from './bearer-auth.ts'
import type { ConnectService } from './connect-service.ts'
import { swaggerOptions, swaggerUiOptions } from './docs.ts'
import { installErrorHandling, sendError } from './error-handling.ts'
import { parseJsonBody } from './json-body.ts'
import { RouteTable } from './route-table.ts'
import { connectorCdcRoutes } from './routes/connector-cdc.ts'
import { connectorOffsetRoutes } from './routes/connector-offsets.ts'
import { connectorPluginRoutes } from './routes/connector-plugins.ts'
import { connectorStateRoutes } from './routes/connector-state.ts'
import { connectorTaskRoutes } from './routes/connector-tasks.ts'
import { connectorTopicRoutes } from './routes/connector-topics.ts'
import { connectorRoutes } from './routes/connectors.ts'
import { rootRoutes } from './routes/root.ts'
import { configMapSchema, connectErrorSchema, messageSchema } from './schemas/common.ts'
import { connectorSchemas } from './schemas/connector.ts'
import { pluginSchemas } from './schemas/plugin.ts'

export interface AdminAppOptions {
  service: ConnectService
  /** When set, every endpoint but GET /health and GET /metrics needs `Authorization: Bearer <token>`. */
  token?: string
  /** A pino (or pino-compatible) logger, true for fastify's own pino logger, false or absent for none. */
  logger?: boolean | FastifyBaseLogger
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number
}

// Request bodies are never logged; these paths only guard against a caller's serializers adding them.
const redact = {
  paths: ['req.headers.authorization', 'req.headers.cookie', 'req.body', 'body', 'config'],
  censor: '[hidden]',
}

function loggerOptions(logger: AdminAppOptions['logger']): FastifyServerOptions {
  if (logger === undefined || logger === false) return { logger: false }
  if (logger === true) return { logger: { level: 'info', redact } }
  return { loggerInstance: logger.child({ component: 'admin-api' }, { redact }) }
}

// A connector name of 249 characters, each up to 4 UTF-8 bytes written as %XX, is 2,988 characters.
const maxParamLength = 3000

/**
 * The admin API as a fastify instance that is not listening yet (server.ts listens): tests
 * drive it with inject(), the service starts it with startAdminServer().
 */
export function buildAdminApp(options: AdminAppOptions): FastifyInstance {
  const { service, token } = options
  if (token?.trim() === '') {
    throw new CdcError(
      'CDC_CONFIG_INVALID',
      'The admin API token is empty; set CDC_API_TOKEN to a secret value or leave it unset.',
    )
  }
  const app = fastify({
    ...loggerOptions(options.logger),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength },
    // Bodies are checked as sent: no coercion, no silent removal of unknown fields, every problem named.
    ajv: {
      customOptions: {
        coerceTypes: false,
        removeAdditional: false,
        allErrors: true,
        allowUnionTypes: true,
      },
    },
    frameworkErrors: (error, request, reply) => {
      sendError(request, reply, error)
    },
  })

  const routes = new RouteTable()
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.add(method, route.url)
  })

  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(String(body)))
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)), undefined)
    }
  })

  if (token !== undefined) {
    app.addHook('onRequest', (request, _reply, done) => {
      if (isPublicEndpoint(request.method, request.routeOptions.url)) done()
      else done(bearerTokenError(request.headers.authorization, token))
    })
  }
  installErrorHandling(app, routes)

  for (const schema of [connectErrorSchema, configMapSchema, messageSchema]) app.addSchema(schema)
  for (const schema of [...connectorSchemas, ...pluginSchemas]) app.addSchema(schema)

  void app.register(swagger, swaggerOptions(service, token !== undefined))
  void app.register(swaggerUi, swaggerUiOptions)
  for (const routePlugin of [
    rootRoutes,
    connectorPluginRoutes,
    connectorRoutes,
    connectorStateRoutes,
    connectorTaskRoutes,
    connectorTopicRoutes,
    connectorOffsetRoutes,
    connectorCdcRoutes,
  ]) {
    void app.register(routePlugin, { service })
  }
  return app
}
