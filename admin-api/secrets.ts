import type { ConfigMap, ConnectorInfo, ValidationResult } from './connect-service.ts'

/** What every secret config value is replaced with in responses, as Kafka Connect shows passwords. */
export const hiddenValue = '[hidden]'

const secretKey = /password|secret|token/i

export function isSecretKey(key: string): boolean {
  return secretKey.test(key)
}

export function maskConfig(config: ConfigMap): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, isSecretKey(key) ? hiddenValue : value]),
  )
}

export function maskInfo(info: ConnectorInfo): ConnectorInfo {
  return { ...info, config: maskConfig(info.config) }
}

/** Validate echoes the submitted values back; PASSWORD-typed fields are hidden even when their key looks harmless. */
export function maskValidation(result: ValidationResult): ValidationResult {
  return {
    ...result,
    configs: result.configs.map((entry) => {
      const secret =
        isSecretKey(entry.value.name) ||
        isSecretKey(entry.definition.name) ||
        entry.definition.type.toUpperCase() === 'PASSWORD'
      if (!secret || entry.value.value === null) return entry
      return { ...entry, value: { ...entry.value, value: hiddenValue } }
    }),
  }
}

/** Secret values of a submitted config, longest first so that overlapping values are scrubbed whole. */
export function secretValues(config: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(config)
    .filter(
      (entry): entry is [string, string] =>
        isSecretKey(entry[0]) && typeof entry[1] === 'string' && entry[1] !== '',
    )
    .map(([, value]) => value)
    .filter((value) => value !== hiddenValue)
    .sort((a, b) => b.length - a.length)
}

/** Removes known secret values from text that may reach a response or a log (error messages, stacks). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) out = out.split(secret).join(hiddenValue)
  return out
}
