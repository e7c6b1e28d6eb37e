import { CdcError } from '../common/errors.ts'
import { clip } from './clip.ts'
import type { PluginInfo } from './connect-service.ts'

/**
 * Names under which Kafka Connect finds a plugin: the class name, the simple class name and
 * the simple name without its "Connector" suffix; ours adds the plugin's declared aliases.
 */
export function pluginNames(plugin: PluginInfo): string[] {
  const simple = plugin.class.slice(plugin.class.lastIndexOf('.') + 1)
  const pruned =
    simple.endsWith('Connector') && simple.length > 'Connector'.length
      ? simple.slice(0, -'Connector'.length)
      : simple
  return [plugin.class, simple, pruned, ...plugin.aliases]
}

export function findPlugin(
  plugins: readonly PluginInfo[],
  nameOrAlias: string,
): PluginInfo | undefined {
  const wanted = nameOrAlias.toLowerCase()
  return plugins.find((plugin) => pluginNames(plugin).some((name) => name.toLowerCase() === wanted))
}

export function requirePlugin(plugins: readonly PluginInfo[], nameOrAlias: string): PluginInfo {
  const plugin = findPlugin(plugins, nameOrAlias)
  if (plugin === undefined) {
    throw new CdcError(
      'CDC_API_PLUGIN_NOT_FOUND',
      `No connector plugin is named "${clip(nameOrAlias)}"; GET /connector-plugins lists the installed plugins (${plugins.map((p) => p.class).join(', ')}).`,
    )
  }
  return plugin
}
