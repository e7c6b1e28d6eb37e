import type { FastifyInstance } from 'fastify'
import { CdcError, findCdcError } from '../../common/errors.ts'
import { clip } from '../clip.ts'
import { restoreHiddenSecrets, toConfigMap, withConnectorName } from '../config-body.ts'
import type { ConfigBody } from '../config-body.ts'
import type { ConfigMap, ConnectService } from '../connect-service.ts'
import { assertConnectorName } from '../connector-name.ts'
import { configBodySchema, errorResponses, nameParamsSchema, noContent } from '../schemas/common.ts'
import { hiddenValue, isSecretKey, maskConfig, maskInfo } from '../secrets.ts'
import { connectorName, connectorsTag as tags } from './route-options.ts'
import type { RouteOptions } from './route-options.ts'

interface CreateBody {
  name: string
  config: ConfigBody
  initial_state?: string
}

const createBodySchema = {
  type: 'object',
  required: ['name', 'config'],
  additionalProperties: false,
  properties: {
    name: {
      type: 'string',
      description: 'Connector name; leading and trailing spaces are trimmed.',
    },
    config: configBodySchema,
    initial_state: {
      type: 'string',
      description:
        'KIP-980 initial state. Only RUNNING (the default) is supported; create, then PUT /connectors/{name}/pause or /stop.',
    },
  },
} as const

const expansionSchema = {
  type: 'object',
  properties: {
    status: { $ref: 'ConnectorStatus#' },
    info: { $ref: 'ConnectorInfo#' },
  },
} as const

// Creating a connector that is PAUSED or STOPPED from the start needs the runtime to accept a
// target state on create; starting it and then stopping it would not be the same thing.
function checkInitialState(initialState: string | undefined): void {
  if (initialState === undefined || initialState.toUpperCase() === 'RUNNING') return
  const known = ['PAUSED', 'STOPPED'].includes(initialState.toUpperCase())
  throw new CdcError(
    'CDC_API_BAD_REQUEST',
    known
      ? `initial_state ${initialState.toUpperCase()} is not supported; create the connector without it, then PUT /connectors/{name}/${initialState.toUpperCase() === 'PAUSED' ? 'pause' : 'stop'}.`
      : `initial_state must be RUNNING, PAUSED or STOPPED, not "${clip(initialState, 50)}".`,
  )
}

/** The stored config, only fetched when a secret came back as the mask and must be kept. */
async function storedConfigIfMasked(
  service: ConnectService,
  name: string,
  config: ConfigMap,
): Promise<ConfigMap | undefined> {
  const masked = Object.entries(config).some(
    ([key, value]) => value === hiddenValue && isSecretKey(key),
  )
  if (!masked) return undefined
  try {
    return await service.config(name)
  } catch (error) {
    if (findCdcError(error)?.code === 'CDC_API_CONNECTOR_NOT_FOUND') return undefined
    throw error
  }
}

const location = (name: string): string => `/connectors/${encodeURIComponent(name)}`

export function connectorRoutes(
  app: FastifyInstance,
  { service }: RouteOptions,
  done: (error?: Error) => void,
): void {
  app.get<{ Querystring: { expand?: string | string[] } }>(
    '/connectors',
    {
      schema: {
        tags,
        summary: 'Connector names, or with ?expand=status and/or ?expand=info a map by name',
        querystring: {
          type: 'object',
          properties: {
            expand: {
              anyOf: [
                { type: 'string', enum: ['status', 'info'] },
                { type: 'array', items: { type: 'string', enum: ['status', 'info'] } },
              ],
            },
          },
        },
        response: {
          200: {
            anyOf: [
              { type: 'array', items: { type: 'string' } },
              { type: 'object', additionalProperties: expansionSchema },
            ],
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const names = await service.list()
      if (request.query.expand === undefined) return names
      const expansions = new Set([request.query.expand].flat())
      const entries = await Promise.all(
        names.map(async (name) => {
          try {
            const status = expansions.has('status') ? await service.status(name) : undefined
            const info = expansions.has('info') ? maskInfo(await service.info(name)) : undefined
            return [[name, { status, info }]] as const
          } catch (error) {
            // Deleted between list() and this lookup: left out, as Kafka Connect does.
            if (findCdcError(error)?.code === 'CDC_API_CONNECTOR_NOT_FOUND') return []
            throw error
          }
        }),
      )
      return Object.fromEntries(entries.flat())
    },
  )

  app.post<{ Body: CreateBody }>(
    '/connectors',
    {
      schema: {
        tags,
        summary: 'Create a connector',
        body: createBodySchema,
        response: { 201: { $ref: 'ConnectorInfo#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const name = request.body.name.trim()
      assertConnectorName(name)
      checkInitialState(request.body.initial_state)
      const config = withConnectorName(
        name,
        restoreHiddenSecrets(toConfigMap(request.body.config), undefined),
      )
      const info = await service.create(name, config)
      return reply.code(201).header('location', location(name)).send(maskInfo(info))
    },
  )

  app.get<{ Params: { name: string } }>(
    '/connectors/:name',
    {
      schema: {
        tags,
        summary: "A connector's name, config and tasks",
        params: nameParamsSchema,
        response: { 200: { $ref: 'ConnectorInfo#' }, ...errorResponses },
      },
    },
    async (request) => maskInfo(await service.info(connectorName(request.params))),
  )

  app.delete<{ Params: { name: string } }>(
    '/connectors/:name',
    {
      schema: {
        tags,
        summary: 'Delete a connector',
        params: nameParamsSchema,
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await service.delete(connectorName(request.params))
      return reply.code(204).send()
    },
  )

  app.get<{ Params: { name: string } }>(
    '/connectors/:name/config',
    {
      schema: {
        tags,
        summary: "A connector's config",
        params: nameParamsSchema,
        response: { 200: { $ref: 'ConfigMap#' }, ...errorResponses },
      },
    },
    async (request) => maskConfig(await service.config(connectorName(request.params))),
  )

  app.put<{ Params: { name: string }; Body: ConfigBody }>(
    '/connectors/:name/config',
    {
      schema: {
        tags,
        summary: 'Create a connector or replace its config: 201 when created, 200 when updated',
        description: 'The body is the config map; a "name" in it must equal the name in the path.',
        params: nameParamsSchema,
        body: configBodySchema,
        response: {
          200: { $ref: 'ConnectorInfo#' },
          201: { $ref: 'ConnectorInfo#' },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const name = connectorName(request.params)
      const submitted = toConfigMap(request.body)
      const stored = await storedConfigIfMasked(service, name, submitted)
      const config = withConnectorName(name, restoreHiddenSecrets(submitted, stored))
      const { info, created } = await service.putConfig(name, config)
      return reply
        .code(created ? 201 : 200)
        .headers(created ? { location: location(name) } : {})
        .send(maskInfo(info))
    },
  )
  done()
}
