import type { FastifyInstance } from 'fastify'
import type { ConnectorOffsets } from '../connect-service.ts'
import { errorResponses, nameParamsSchema } from '../schemas/common.ts'
import { connectorOffsetsSchema } from '../schemas/connector.ts'
import { connectorName, connectorsTag as tags } from './route-options.ts'
import type { RouteOptions } from './route-options.ts'

// Kafka Connect refuses an empty list too: "Partitions / offsets need to be provided".
const alterBodySchema = {
  type: 'object',
  description: connectorOffsetsSchema.description,
  required: ['offsets'],
  additionalProperties: false,
  properties: {
    offsets: { ...connectorOffsetsSchema.properties.offsets, minItems: 1 },
  },
} as const

const messageResponse = { 200: { $ref: 'Message#' }, ...errorResponses } as const

export function connectorOffsetRoutes(
  app: FastifyInstance,
  { service }: RouteOptions,
  done: (error?: Error) => void,
): void {
  app.get<{ Params: { name: string } }>(
    '/connectors/:name/offsets',
    {
      schema: {
        tags,
        summary: "A connector's stored source positions (KIP-875)",
        params: nameParamsSchema,
        response: { 200: { $ref: 'ConnectorOffsets#' }, ...errorResponses },
      },
    },
    async (request) => service.offsets(connectorName(request.params)),
  )

  app.patch<{ Params: { name: string }; Body: ConnectorOffsets }>(
    '/connectors/:name/offsets',
    {
      schema: {
        tags,
        summary: "Alter a STOPPED connector's stored positions (KIP-875)",
        description: 'Answers 409 CDC_API_CONFLICT when the connector is not STOPPED.',
        params: nameParamsSchema,
        body: alterBodySchema,
        response: messageResponse,
      },
    },
    async (request) => {
      await service.alterOffsets(connectorName(request.params), request.body)
      return { message: 'The offsets for this connector have been altered successfully' }
    },
  )

  app.delete<{ Params: { name: string } }>(
    '/connectors/:name/offsets',
    {
      schema: {
        tags,
        summary: "Remove a STOPPED connector's stored positions (KIP-875)",
        description:
          'Answers 409 CDC_API_CONFLICT when the connector is not STOPPED. The next start begins as a new connector would (snapshot.mode decides).',
        params: nameParamsSchema,
        response: messageResponse,
      },
    },
    async (request) => {
      await service.resetOffsets(connectorName(request.params))
      return { message: 'The offsets for this connector have been reset successfully' }
    },
  )
  done()
}
