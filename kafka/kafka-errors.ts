import { findErrorBy, NetworkError, ProtocolError, TimeoutError } from '@platformatic/kafka'
import { CdcError, type ErrorCode, errorMessage, isCdcError } from '../common/errors.ts'

/**
 * Classifies an error from the Kafka client at the adapter boundary: network failures,
 * timeouts and retriable broker answers become retriable CdcErrors; the rest are
 * permanent. The client's error is kept as `cause`.
 */
export function toCdcError(error: unknown, code: ErrorCode, doing: string): CdcError {
  if (isCdcError(error)) return error
  const retriable = isRetriable(error)
  const tooLarge = findProtocolCode(error) === 'MESSAGE_TOO_LARGE'
  return new CdcError(
    tooLarge ? 'CDC_KAFKA_RECORD_TOO_LARGE' : code,
    `${doing} failed: ${describe(error)}${retriable ? '; will retry' : ''}`,
    { cause: error, retriable: retriable && !tooLarge },
  )
}

function isRetriable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (error instanceof NetworkError || error instanceof TimeoutError) return true
  return (
    findErrorBy(error, 'code', NetworkError.code) !== null ||
    findErrorBy(error, 'code', TimeoutError.code) !== null ||
    findErrorBy(error, 'canRetry', true) !== null
  )
}

function findProtocolCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined
  const protocol = findErrorBy(error, 'code', ProtocolError.code)
  const id: unknown = protocol?.apiId
  return typeof id === 'string' ? id : undefined
}

function describe(error: unknown): string {
  const leaves = new Set<string>()
  collectLeaves(error, leaves, 0)
  const top = errorMessage(error)
  leaves.delete(top)
  return leaves.size === 0 ? top : `${top} (${[...leaves].join('; ')})`
}

// The client nests the broker's answer several AggregateErrors deep; the innermost
// messages are the ones that say what happened (e.g. "Compacted topic cannot accept
// message without key").
function collectLeaves(error: unknown, into: Set<string>, depth: number): void {
  if (depth > 8) return
  if (error instanceof AggregateError && error.errors.length > 0) {
    for (const inner of error.errors) collectLeaves(inner, into, depth + 1)
    return
  }
  if (error instanceof Error && error.cause !== undefined) {
    collectLeaves(error.cause, into, depth + 1)
  }
  const server = (error as { serverErrorMessage?: unknown }).serverErrorMessage
  into.add(
    typeof server === 'string' && server !== ''
      ? `${errorMessage(error)}: ${server}`
      : errorMessage(error),
  )
}
