import { CdcError } from '../common/errors.ts'

class ForbiddenKey extends Error {}

// fastify's own parser would do the same, but its error message quotes the start of the
// body, which may hold a password; this one reports only where parsing stopped.
function rejectPrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new ForbiddenKey('__proto__')
  if (
    key === 'constructor' &&
    typeof value === 'object' &&
    value !== null &&
    'prototype' in value
  ) {
    throw new ForbiddenKey('constructor.prototype')
  }
  return value
}

/**
 * Parses a JSON request body. An empty body is no body (undefined): clients send
 * `Content-Type: application/json` with nothing on PUT /pause and the like, and Kafka
 * Connect accepts that.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text, rejectPrototypeKeys)
  } catch (error) {
    if (error instanceof ForbiddenKey) {
      throw new CdcError(
        'CDC_API_BAD_REQUEST',
        `The request body contains the key "${error.message}", which is refused to protect against prototype pollution; remove it.`,
      )
    }
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1]
    throw new CdcError(
      'CDC_API_BAD_REQUEST',
      `The request body is not valid JSON${position === undefined ? '' : ` (parsing stopped at character ${position})`}; send a JSON document with "Content-Type: application/json".`,
    )
  }
}
