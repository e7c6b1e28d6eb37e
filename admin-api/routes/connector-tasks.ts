import type { FastifyInstance } from 'fastify'
import { CdcError } from '../../common/errors.ts'
import type { ConnectorStatus } from '../connect-service.ts'
import { errorResponses, nameParamsSchema, noContent } from '../schemas/common.ts'
import { maskConfig } from '../secrets.ts'
import { connectorName, connectorsTag as tags } from './route-options.ts'
import type { RouteOptions } from './route-options.ts'

const taskParams = {
  type: 'object',
  required: ['name', 'task'],
  properties: {
    ...nameParamsSchema.properties,
    task: {
      type: 'string',
      pattern: '^[0-9]{1,9}$',
      description: 'Task id; a connector here runs task 0 only.',
    },
  },
} as const

const taskInfoSchema = {
  type: 'object',
  required: ['id', 'config'],
  properties: {
    id: {
      type: 'object',
      required: ['connector', 'task'],
      properties: { connector: { type: 'string' }, task: { type: 'integer' } },
    },
    config: { $ref: 'ConfigMap#' },
  },
} as const

type TaskParams = { name: string; task: string }

/** A connector runs one task, 0, while it is not STOPPED; any other id is a 404 as in Kafka Connect. */
function requireTask(status: ConnectorStatus, id: number): ConnectorStatus['tasks'][number] {
  const task = status.tasks.find((candidate) => candidate.id === id)
  if (task === undefined) {
    throw new CdcError(
      'CDC_API_TASK_NOT_FOUND',
      `Connector ${status.name} has no task ${id}${status.tasks.length === 0 ? ' (it has no tasks while STOPPED)' : '; its only task is 0'}. GET /connectors/{name}/tasks lists its tasks.`,
    )
  }
  return task
}

export function connectorTaskRoutes(
  app: FastifyInstance,
  { service }: RouteOptions,
  done: (error?: Error) => void,
): void {
  app.get<{ Params: { name: string } }>(
    '/connectors/:name/tasks',
    {
      schema: {
        tags,
        summary: "A connector's tasks with their config (one task, 0, unless STOPPED)",
        params: nameParamsSchema,
        response: { 200: { type: 'array', items: taskInfoSchema }, ...errorResponses },
      },
    },
    async (request) => {
      const info = await service.info(connectorName(request.params))
      const config = maskConfig(info.config)
      return info.tasks.map((task) => ({
        id: { connector: task.connector, task: task.task },
        config,
      }))
    },
  )

  app.get<{ Params: TaskParams }>(
    '/connectors/:name/tasks/:task/status',
    {
      schema: {
        tags,
        summary: "A task's state (the connector's, since a connector here is one task)",
        params: taskParams,
        response: { 200: { $ref: 'TaskState#' }, ...errorResponses },
      },
    },
    async (request) => {
      const status = await service.status(connectorName(request.params))
      return requireTask(status, Number(request.params.task))
    },
  )

  app.post<{ Params: TaskParams }>(
    '/connectors/:name/tasks/:task/restart',
    {
      schema: {
        tags,
        summary: 'Restart a task, which restarts the connector',
        params: taskParams,
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      const name = connectorName(request.params)
      requireTask(await service.status(name), Number(request.params.task))
      await service.restart(name, { includeTasks: false, onlyFailed: false })
      return reply.code(204).send()
    },
  )
  done()
}
