import type { FastifyInstance } from 'fastify'
import { errorResponses, nameParamsSchema } from '../schemas/common.ts'
import { connectorName, connectorsTag as tags } from './route-options.ts'
import type { RouteOptions } from './route-options.ts'

const topicsSchema = {
  type: 'object',
  description: '{"<connector>": {"topics": [...]}}, as Kafka Connect shows active topics.',
  additionalProperties: {
    type: 'object',
    required: ['topics'],
    properties: { topics: { type: 'array', items: { type: 'string' } } },
  },
} as const

export function connectorTopicRoutes(
  app: FastifyInstance,
  { service }: RouteOptions,
  done: (error?: Error) => void,
): void {
  app.get<{ Params: { name: string } }>(
    '/connectors/:name/topics',
    {
      schema: {
        tags,
        summary: 'Topics the connector has written to',
        params: nameParamsSchema,
        response: { 200: topicsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const name = connectorName(request.params)
      return { [name]: { topics: await service.topics(name) } }
    },
  )

  app.put<{ Params: { name: string } }>(
    '/connectors/:name/topics/reset',
    {
      schema: {
        tags,
        summary: "Forget the connector's active topics",
        params: nameParamsSchema,
        response: { 202: { type: 'null', description: 'Accepted.' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      await service.resetTopics(connectorName(request.params))
      return reply.code(202).send()
    },
  )
  done()
}
