import { CdcError } from '../common/errors.ts'

/** Kafka's topic-name limit: names end up in topic and group names, so they cannot be longer. */
export const maxConnectorNameLength = 249

// Kafka Connect rejects ISO control characters (Character.isISOControl), which is exactly \p{Cc}.
// Lone surrogates cannot be encoded in UTF-8, so such a name could never be addressed by URL.
const controlOrSurrogate = /\p{Cc}|\p{Surrogate}/u

/** Why a connector name is unusable, or undefined when it is fine. */
export function connectorNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a connector name must not be empty'
  const length = Array.from(name).length
  if (length > maxConnectorNameLength) {
    return `a connector name has at most ${maxConnectorNameLength} characters; this one has ${length}`
  }
  if (controlOrSurrogate.test(name)) {
    return 'a connector name must not contain control characters (U+0000-U+001F, U+007F-U+009F) or unpaired surrogates'
  }
  // Names are addressed as one URL path segment: '/' would split it and clients collapse dot segments.
  if (name.includes('/')) return "a connector name must not contain '/'"
  if (name === '.' || name === '..') return `a connector name cannot be '${name}'`
  return undefined
}

export function assertConnectorName(name: string): void {
  const problem = connectorNameProblem(name)
  if (problem !== undefined) {
    throw new CdcError(
      'CDC_API_BAD_REQUEST',
      `Invalid connector name: ${problem}; choose another name.`,
    )
  }
}
