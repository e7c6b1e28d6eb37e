import type { SwaggerOptions } from '@fastify/swagger'
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui'
import { pluginConfigMarkdown } from './config-def.ts'
import type { ConnectService } from './connect-service.ts'

const overview = `The CDC service's admin API, in the shape of the Kafka Connect REST API (curl scripts, kcctl and Kafka UI work against it).

Errors: every error answers \`{"error_code": <HTTP status>, "message": "...", "code": "CDC_..."}\`; \`code\` is stable (docs/errors.md).
Secrets: config values whose key contains "password", "secret" or "token" are shown as "[hidden]"; sending "[hidden]" back keeps the stored value.`

/** The plugins' config fields go into the description, so /docs shows what a config may hold. */
function pluginSection(service: ConnectService): string {
  const plugins = service.plugins().map((plugin) => ({
    plugin,
    fields: service.pluginConfigDef(plugin.class),
  }))
  return `## Connector plugins and their config fields\n\n${pluginConfigMarkdown(plugins)}`
}

/** The OpenAPI document is built from the routes' own schemas: GET /docs (UI) and GET /docs/json. */
export function swaggerOptions(service: ConnectService, withToken: boolean): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CDC service admin API',
        version: service.version().version,
        description: `${overview}\n\n${pluginSection(service)}`,
      },
      components: {
        securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer' } },
      },
      security: withToken ? [{ bearerToken: [] }] : [],
    },
    refResolver: {
      // Shared schemas keep their $id as component name instead of def-0, def-1, ...
      buildLocalReference: (json, _baseUri, _fragment, index) =>
        typeof json.$id === 'string' ? json.$id : `def-${index}`,
    },
  }
}

export const swaggerUiOptions: FastifySwaggerUiOptions = { routePrefix: '/docs' }
