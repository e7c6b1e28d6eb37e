import { createHash, timingSafeEqual } from 'node:crypto'
import { CdcError } from '../common/errors.ts'

/** Probes and scrapers carry no credentials; everything else needs the token when one is set. */
const publicEndpoints = new Set(['GET /health', 'HEAD /health', 'GET /metrics', 'HEAD /metrics'])

export function isPublicEndpoint(method: string, routeUrl: string | undefined): boolean {
  return routeUrl !== undefined && publicEndpoints.has(`${method} ${routeUrl}`)
}

// Hashing first gives both sides the same length, so timingSafeEqual neither throws nor
// leaks the token's length through an early return.
const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest()

export function bearerTokenMatches(authorization: string | undefined, token: string): boolean {
  if (authorization === undefined) return false
  const match = /^Bearer +(\S+) *$/i.exec(authorization)
  if (match?.[1] === undefined) return false
  return timingSafeEqual(digest(match[1]), digest(token))
}

/** The 401 error for a request without the right token, or undefined when it has it. */
export function bearerTokenError(
  authorization: string | undefined,
  token: string,
): CdcError | undefined {
  if (bearerTokenMatches(authorization, token)) return undefined
  return new CdcError(
    'CDC_API_UNAUTHORIZED',
    authorization === undefined
      ? 'This endpoint needs an "Authorization: Bearer <token>" header with the token the service was started with (CDC_API_TOKEN).'
      : 'The Authorization header does not carry the right bearer token; send "Authorization: Bearer <token>" with the token the service was started with (CDC_API_TOKEN).',
  )
}
