import type { ConfigField } from '../connectors/plugin.ts'
import type { PluginInfo } from './connect-service.ts'

/** One entry of `GET /connector-plugins/{plugin}/config`, Kafka Connect's ConfigKeyInfo. */
export interface ConfigKeyInfo {
  name: string
  type: string
  required: boolean
  default_value: string | null
  importance: string
  documentation: string
  group: string
  order: number
  width: string
  display_name: string
  dependents: string[]
}

export function toConfigKeyInfos(fields: readonly ConfigField[]): ConfigKeyInfo[] {
  const orderInGroup = new Map<string, number>()
  return fields.map((field) => {
    const order = (orderInGroup.get(field.group) ?? 0) + 1
    orderInGroup.set(field.group, order)
    return {
      name: field.name,
      type: field.type.toUpperCase(),
      required: field.required,
      default_value: field.default ?? null,
      importance: field.importance,
      documentation: field.doc,
      group: field.group,
      order,
      width: 'NONE',
      display_name: field.name,
      dependents: [],
    }
  })
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ')

/** A markdown section per plugin for the OpenAPI description, so /docs shows every config field. */
export function pluginConfigMarkdown(
  plugins: ReadonlyArray<{ plugin: PluginInfo; fields: readonly ConfigField[] }>,
): string {
  return plugins
    .map(({ plugin, fields }) => {
      const aliases = plugin.aliases.length > 0 ? ` (aliases: ${plugin.aliases.join(', ')})` : ''
      const rows = fields.map((field) => {
        const allowed = field.allowed === undefined ? '' : ` One of: ${field.allowed.join(', ')}.`
        return `| \`${cell(field.name)}\` | ${field.type} | ${field.required ? 'yes' : 'no'} | ${cell(field.default ?? '')} | ${cell(field.doc + allowed)} |`
      })
      return [
        `### ${plugin.class}${aliases}, version ${plugin.version}`,
        '',
        '| field | type | required | default | meaning |',
        '|---|---|---|---|---|',
        ...rows,
      ].join('\n')
    })
    .join('\n\n')
}
