import type { FastifyInstance } from 'fastify'
import { CdcError } from '../../common/errors.ts'
import { clip } from '../clip.ts'
import { toConfigMap } from '../config-body.ts'
import type { ConfigBody } from '../config-body.ts'
import { toConfigKeyInfos } from '../config-def.ts'
import { findPlugin, requirePlugin } from '../plugin-lookup.ts'
import { booleanQuery, configBodySchema, errorResponses } from '../schemas/common.ts'
import { maskValidation } from '../secrets.ts'
import type { RouteOptions } from './route-options.ts'

const tags = ['connector-plugins']

const pluginParams = {
  type: 'object',
  required: ['plugin'],
  properties: {
    plugin: {
      type: 'string',
      description:
        'Plugin class name, its simple name with or without "Connector", or an alias (e.g. "postgres").',
    },
  },
} as const

export function connectorPluginRoutes(
  app: FastifyInstance,
  { service }: RouteOptions,
  done: (error?: Error) => void,
): void {
  app.get<{ Querystring: { connectorsOnly?: string } }>(
    '/connector-plugins',
    {
      schema: {
        tags,
        summary: 'Installed connector plugins',
        description:
          'Every plugin here is a source connector, so connectorsOnly=false lists the same plugins.',
        querystring: {
          type: 'object',
          properties: { connectorsOnly: { ...booleanQuery, default: 'true' } },
        },
        response: { 200: { type: 'array', items: { $ref: 'PluginInfo#' } }, ...errorResponses },
      },
    },
    () =>
      service.plugins().map((plugin) => ({
        class: plugin.class,
        type: plugin.type,
        version: plugin.version,
      })),
  )

  app.get<{ Params: { plugin: string } }>(
    '/connector-plugins/:plugin/config',
    {
      schema: {
        tags,
        summary: "A plugin's config definition (Kafka Connect's ConfigKeyInfo list)",
        params: pluginParams,
        response: {
          200: { type: 'array', items: { $ref: 'ConfigKeyInfo#' } },
          ...errorResponses,
        },
      },
    },
    (request) => {
      const plugin = requirePlugin(service.plugins(), request.params.plugin)
      return toConfigKeyInfos(service.pluginConfigDef(plugin.class))
    },
  )

  app.put<{ Params: { plugin: string }; Body: ConfigBody }>(
    '/connector-plugins/:plugin/config/validate',
    {
      schema: {
        tags,
        summary: 'Validate a connector config without creating anything',
        description:
          'Answers 200 with error_count and the errors per field even when the config is invalid, as Kafka Connect does. connector.class may be left out; when given it must name the same plugin.',
        params: pluginParams,
        body: configBodySchema,
        response: { 200: { $ref: 'ValidationResult#' }, ...errorResponses },
      },
    },
    (request) => {
      const plugins = service.plugins()
      const plugin = requirePlugin(plugins, request.params.plugin)
      const config = toConfigMap(request.body)
      const included = config['connector.class']
      if (included !== undefined && findPlugin(plugins, included)?.class !== plugin.class) {
        throw new CdcError(
          'CDC_API_BAD_REQUEST',
          `Included connector type ${clip(included)} does not match request type ${clip(request.params.plugin)}; remove connector.class from the body or validate against that plugin.`,
        )
      }
      const result = service.validate(plugin.class, {
        ...config,
        'connector.class': included ?? plugin.class,
      })
      return maskValidation(result)
    },
  )
  done()
}
