import type { FastifyInstance } from 'fastify'
import {
  booleanQuery,
  errorResponses,
  isTrue,
  nameParamsSchema,
  noContent,
} from '../schemas/common.ts'
import { connectorName, connectorsTag as tags } from './route-options.ts'
import type { RouteOptions } from './route-options.ts'

const accepted = {
  type: 'null',
  description: 'Accepted; the state changes asynchronously.',
} as const

export function connectorStateRoutes(
  app: FastifyInstance,
  { service }: RouteOptions,
  done: (error?: Error) => void,
): void {
  app.get<{ Params: { name: string } }>(
    '/connectors/:name/status',
    {
      schema: {
        tags,
        summary: "A connector's state, its task's state, snapshot progress and last error",
        params: nameParamsSchema,
        response: { 200: { $ref: 'ConnectorStatus#' }, ...errorResponses },
      },
    },
    async (request) => service.status(connectorName(request.params)),
  )

  const transitions = [
    ['pause', 'Pause a connector (idempotent)', 202, (name: string) => service.pause(name)],
    [
      'resume',
      'Resume a paused or stopped connector (idempotent)',
      202,
      (name: string) => service.resume(name),
    ],
    // Kafka Connect's stop handler returns void, so it answers 204, unlike pause and resume.
    [
      'stop',
      'Stop a connector and release its resources (KIP-875; idempotent)',
      204,
      (name: string) => service.stop(name),
    ],
  ] as const
  for (const [action, summary, status, apply] of transitions) {
    app.put<{ Params: { name: string } }>(
      `/connectors/:name/${action}`,
      {
        schema: {
          tags,
          summary,
          params: nameParamsSchema,
          response: { [status]: status === 202 ? accepted : noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await apply(connectorName(request.params))
        return reply.code(status).send()
      },
    )
  }

  app.post<{
    Params: { name: string }
    Querystring: { includeTasks?: string; onlyFailed?: string }
  }>(
    '/connectors/:name/restart',
    {
      schema: {
        tags,
        summary: 'Restart a connector',
        description:
          'With neither includeTasks nor onlyFailed: restarts the connector and answers 204 with no body. With either: answers 202 with the status, as Kafka Connect does (KIP-745). A connector here is one task, so includeTasks changes nothing else.',
        params: nameParamsSchema,
        querystring: {
          type: 'object',
          properties: { includeTasks: booleanQuery, onlyFailed: booleanQuery },
        },
        response: { 202: { $ref: 'ConnectorStatus#' }, 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      const name = connectorName(request.params)
      const includeTasks = isTrue(request.query.includeTasks)
      const onlyFailed = isTrue(request.query.onlyFailed)
      await service.restart(name, { includeTasks, onlyFailed })
      if (!includeTasks && !onlyFailed) return reply.code(204).send()
      return reply.code(202).send(await service.status(name))
    },
  )
  done()
}
