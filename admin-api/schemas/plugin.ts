const stringList = { type: 'array', items: { type: 'string' } } as const

export const pluginInfoSchema = {
  $id: 'PluginInfo',
  type: 'object',
  required: ['class', 'type'],
  properties: {
    class: { type: 'string' },
    type: { type: 'string' },
    version: { type: 'string' },
  },
} as const

export const configKeyInfoSchema = {
  $id: 'ConfigKeyInfo',
  type: 'object',
  required: ['name', 'type', 'required', 'importance', 'documentation', 'group'],
  properties: {
    name: { type: 'string' },
    type: { type: 'string' },
    required: { type: 'boolean' },
    default_value: { type: ['string', 'null'] },
    importance: { type: 'string' },
    documentation: { type: 'string' },
    group: { type: 'string' },
    order: { type: 'integer' },
    width: { type: 'string' },
    display_name: { type: 'string' },
    dependents: stringList,
  },
} as const

export const validationResultSchema = {
  $id: 'ValidationResult',
  type: 'object',
  description:
    'Kafka Connect\'s ConfigInfos: error_count counts the errors of every field; secret values are shown as "[hidden]".',
  required: ['name', 'error_count', 'groups', 'configs'],
  properties: {
    name: { type: 'string' },
    error_count: { type: 'integer' },
    groups: stringList,
    configs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['definition', 'value'],
        properties: {
          definition: { $ref: 'ConfigKeyInfo#' },
          value: {
            type: 'object',
            required: ['name', 'value', 'recommended_values', 'errors', 'visible'],
            properties: {
              name: { type: 'string' },
              value: { type: ['string', 'null'] },
              recommended_values: stringList,
              errors: stringList,
              visible: { type: 'boolean' },
            },
          },
        },
      },
    },
  },
} as const

export const pluginSchemas = [
  pluginInfoSchema,
  configKeyInfoSchema,
  validationResultSchema,
] as const
