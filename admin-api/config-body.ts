import { CdcError } from '../common/errors.ts'
import { clip } from './clip.ts'
import type { ConfigMap } from './connect-service.ts'
import { hiddenValue, isSecretKey } from './secrets.ts'

/** A config map as the route schemas admit it: Kafka Connect (Jackson) also takes JSON numbers and booleans. */
export type ConfigBody = Readonly<Record<string, string | number | boolean>>

export function toConfigMap(body: ConfigBody): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : String(value),
    ]),
  )
}

/**
 * Kafka Connect's rule: a `name` inside the config must equal the connector's name, and
 * when absent it is added, so the stored config always carries it.
 */
export function withConnectorName(name: string, config: ConfigMap): Record<string, string> {
  const included = config.name
  if (included !== undefined && included !== name) {
    throw new CdcError(
      'CDC_API_BAD_REQUEST',
      `Connector name configuration (${clip(included)}) doesn't match connector name in the URL or body (${clip(name)}); remove "name" from the config or make it equal.`,
    )
  }
  return { ...config, name }
}

/**
 * Responses show secrets as "[hidden]", so a client that reads a config, edits it and puts it
 * back (Kafka UI does) sends "[hidden]" for them: keep the stored secret instead of storing
 * the mask. Without a stored value there is nothing to keep, and the mask is refused.
 */
export function restoreHiddenSecrets(
  config: ConfigMap,
  stored: ConfigMap | undefined,
): Record<string, string> {
  const missing: string[] = []
  const restored = Object.fromEntries(
    Object.entries(config).map(([key, value]) => {
      if (value !== hiddenValue || !isSecretKey(key)) return [key, value]
      const previous = stored?.[key]
      if (previous === undefined) missing.push(key)
      return [key, previous ?? value]
    }),
  )
  if (missing.length > 0) {
    throw new CdcError(
      'CDC_API_BAD_REQUEST',
      `${missing.map((key) => `"${clip(key)}"`).join(', ')} ${missing.length === 1 ? 'has' : 'have'} the value "${hiddenValue}", which is how responses mask secrets, and no stored value to keep; send the real value.`,
    )
  }
  return restored
}
