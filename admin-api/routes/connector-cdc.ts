import type { FastifyInstance } from 'fastify'
import { CdcError } from '../../common/errors.ts'
import { errorResponses, nameParamsSchema } from '../schemas/common.ts'
import { connectorName } from './route-options.ts'
import type { RouteOptions } from './route-options.ts'

const tags = ['cdc']

const tableList = {
  type: 'array',
  minItems: 1,
  items: { type: 'string', minLength: 1 },
} as const

interface SnapshotBody {
  'data-collections'?: string[]
  tables?: string[]
  type?: string
}

const snapshotBodySchema = {
  type: 'object',
  description:
    'Debezium\'s execute-snapshot signal fields: "data-collections" (or "tables") lists captured tables by name, e.g. "public.orders" (PostgreSQL schema.table) or "shop.orders" (MySQL database.table). The snapshot is blocking (Debezium\'s type "blocking", the only one taken here): streaming stops at the next transaction boundary, the tables are read in one transaction as "r" events, and streaming resumes where it stopped, so changes made meanwhile follow as c/u/d.',
  additionalProperties: false,
  properties: {
    'data-collections': tableList,
    tables: tableList,
    type: {
      type: 'string',
      description: '"blocking" (the default); "incremental" is not supported',
    },
  },
} as const

function tablesOf(body: SnapshotBody): string[] {
  const collections = body['data-collections']
  if (collections !== undefined && body.tables !== undefined) {
    throw new CdcError(
      'CDC_API_BAD_REQUEST',
      'Give the tables either as "data-collections" or as "tables", not both.',
    )
  }
  const tables = collections ?? body.tables
  if (tables === undefined) {
    throw new CdcError(
      'CDC_API_BAD_REQUEST',
      'The body needs "data-collections" (or "tables"): a non-empty list of tables to snapshot, e.g. {"data-collections": ["public.orders"]}.',
    )
  }
  if (body.type !== undefined && body.type.toLowerCase() !== 'blocking') {
    throw new CdcError(
      'CDC_API_BAD_REQUEST',
      `"type": ${JSON.stringify(body.type)} is not supported: this service takes blocking snapshots only (streaming pauses while the tables are read); omit "type" or send "blocking".`,
    )
  }
  return [...new Set(tables)]
}

/** This service's additions to the Kafka Connect API. */
export function connectorCdcRoutes(
  app: FastifyInstance,
  { service }: RouteOptions,
  done: (error?: Error) => void,
): void {
  app.get<{ Params: { name: string } }>(
    '/connectors/:name/lag',
    {
      schema: {
        tags,
        summary: 'How far the connector is behind its source database',
        params: nameParamsSchema,
        response: { 200: { $ref: 'SourceLag#' }, ...errorResponses },
      },
    },
    async (request) => service.lag(connectorName(request.params)),
  )

  app.post<{ Params: { name: string }; Body: SnapshotBody }>(
    '/connectors/:name/snapshots',
    {
      schema: {
        tags,
        summary: 'Request an ad-hoc (blocking) snapshot of some captured tables',
        description:
          "Answers 202 once the request is recorded in the connector's stored position, so it is taken even if the service restarts before it ran (when another instance runs the connector, once it is passed on); 400 CDC_API_BAD_REQUEST naming every table the connector does not capture; 409 CDC_API_CONFLICT when the connector is not streaming (starting, in a snapshot, PAUSED, STOPPED, FAILED) or another ad-hoc snapshot waits.",
        params: nameParamsSchema,
        body: snapshotBodySchema,
        response: { 202: { $ref: 'Message#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const name = connectorName(request.params)
      const tables = tablesOf(request.body)
      await service.snapshot(name, tables)
      return reply.code(202).send({
        message: `An ad-hoc snapshot of ${tables.length} table(s) was accepted; streaming pauses while they are read. GET /connectors/{name}/status shows its progress.`,
      })
    },
  )
  done()
}
