import { registryErrors } from './registry-error.ts'

/** What "latest" and -1 stand for: the newest non-deleted version. */
export const latestVersion = -1

/** A version path segment: "latest", -1 or 1..2^31-1; Confluent's 42202 otherwise. */
export function parseVersion(text: string): number {
  const trimmed = text.trim()
  if (trimmed.toLowerCase() === 'latest') return latestVersion
  const version = /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN
  if (
    version === latestVersion ||
    (Number.isSafeInteger(version) && version >= 1 && version <= 2 ** 31 - 1)
  ) {
    return version
  }
  throw registryErrors.invalidVersion(text)
}
