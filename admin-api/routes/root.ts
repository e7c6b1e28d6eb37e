import type { FastifyInstance } from 'fastify'
import { prometheusContentType, renderPrometheus } from '../prometheus.ts'
import { errorResponses } from '../schemas/common.ts'
import type { RouteOptions } from './route-options.ts'

const versionSchema = {
  type: 'object',
  required: ['version', 'commit', 'kafka_cluster_id'],
  properties: {
    version: { type: 'string' },
    commit: { type: 'string' },
    kafka_cluster_id: { type: 'string' },
  },
} as const

const healthSchema = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['UP', 'DOWN'] },
    checks: { type: 'object', additionalProperties: { type: 'string', enum: ['UP', 'DOWN'] } },
  },
} as const

/** GET /, and the two endpoints that probes and scrapers call without a token. */
export function rootRoutes(
  app: FastifyInstance,
  { service }: RouteOptions,
  done: (error?: Error) => void,
): void {
  app.get(
    '/',
    {
      schema: {
        tags: ['cluster'],
        summary: 'Version of the service and the Kafka cluster it writes to',
        response: { 200: versionSchema, ...errorResponses },
      },
    },
    () => service.version(),
  )

  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Health: 200 when UP, 503 when DOWN (no token needed)',
        security: [],
        response: { 200: healthSchema, 503: healthSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      try {
        const health = await service.health()
        return await reply.code(health.status === 'UP' ? 200 : 503).send(health)
      } catch (error) {
        // A health check that cannot even be computed means the service is not healthy.
        request.log.warn({ err: error }, 'health check failed')
        return await reply.code(503).send({ status: 'DOWN', checks: {} })
      }
    },
  )

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Per-connector metrics in the Prometheus text format 0.0.4 (no token needed)',
        security: [],
        produces: [prometheusContentType],
        response: {
          200: { type: 'string', description: 'Prometheus text exposition format 0.0.4' },
          ...errorResponses,
        },
      },
    },
    async (_request, reply) => {
      const text = renderPrometheus(await service.metrics())
      return reply.type(prometheusContentType).send(text)
    },
  )
  done()
}
