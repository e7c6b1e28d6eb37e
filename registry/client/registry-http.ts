import { CdcError, errorMessage, type ErrorCode } from '../../common/errors.ts'

export interface RegistryHttpOptions {
  /** Base URL: `http://host:8081` for Confluent, `http://host:8080/apis/ccompat/v7` for Apicurio. */
  url: string
  /** HTTP basic auth, as Confluent's `basic.auth.user.info`. */
  auth?: { username: string; password: string }
  /** Per-request limit; a request that takes longer counts as the registry being unavailable. */
  timeoutMs?: number
  /** Replaces the global fetch (tests route requests to an in-process registry). */
  fetch?: typeof fetch
}

const contentType = 'application/vnd.schemaregistry.v1+json'

/**
 * Confluent REST calls with errors classified once: no answer or a 5xx is
 * CDC_REG_UNAVAILABLE (retriable); any other error answer is a CdcError whose details carry
 * `status` and the registry's `errorCode` (see `registryErrorCode`).
 */
export class RegistryHttp {
  readonly #base: string
  readonly #headers: Record<string, string>
  readonly #timeoutMs: number
  readonly #fetch: typeof fetch

  constructor(options: RegistryHttpOptions) {
    this.#base = options.url.replace(/\/+$/, '')
    this.#headers = { accept: contentType, 'content-type': contentType }
    if (options.auth !== undefined) {
      const token = Buffer.from(`${options.auth.username}:${options.auth.password}`).toString(
        'base64',
      )
      this.#headers.authorization = `Basic ${token}`
    }
    this.#timeoutMs = options.timeoutMs ?? 10_000
    this.#fetch = options.fetch ?? fetch
  }

  get url(): string {
    return this.#base
  }

  async request(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: Response
    let text: string
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers: this.#headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      })
      text = await response.text()
    } catch (error) {
      throw new CdcError(
        'CDC_REG_UNAVAILABLE',
        `The schema registry at ${this.#base} cannot be reached (${method} ${path}: ${reason(error)}). Check the registry URL and that the registry is running; the request is retried.`,
        { cause: error, retriable: true, details: { url: this.#base, method, path } },
      )
    }
    const parsed = parseJson(text)
    if (response.ok) return parsed
    throw answerError(this.#base, method, path, response.status, parsed, text)
  }
}

/** The registry's `error_code` (40401, 42201, ...) of an error from RegistryHttp. */
export function registryErrorCode(error: unknown): number | undefined {
  if (!(error instanceof CdcError)) return undefined
  const code = error.details.errorCode
  return typeof code === 'number' ? code : undefined
}

function answerError(
  base: string,
  method: string,
  path: string,
  status: number,
  body: unknown,
  text: string,
): CdcError {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const errorCode = typeof fields.error_code === 'number' ? fields.error_code : status
  const said = typeof fields.message === 'string' ? fields.message : text.slice(0, 500)
  const details = { url: base, method, path, status, errorCode, registryMessage: said }
  const unavailable = status >= 500
  return new CdcError(
    classify(status, errorCode),
    `The schema registry answered ${method} ${path} with HTTP ${status}, error ${errorCode}: ${said || '(no message)'}${unavailable ? '. The request is retried.' : ''}`,
    { retriable: unavailable, details },
  )
}

function classify(status: number, errorCode: number): ErrorCode {
  if (status >= 500) return 'CDC_REG_UNAVAILABLE'
  if (errorCode === 409 || errorCode === 40901) return 'CDC_REG_INCOMPATIBLE_SCHEMA'
  if (errorCode === 42201) return 'CDC_REG_INVALID_SCHEMA'
  // 40404-40407 are delete-order rules, not missing things (Apicurio answers them with 409).
  if (errorCode >= 40404 && errorCode <= 40407) return 'CDC_REG_INVALID_REQUEST'
  if (status === 404) return 'CDC_REG_NOT_FOUND'
  if (status === 422) return 'CDC_REG_INVALID_REQUEST'
  return 'CDC_REG_REQUEST_FAILED'
}

function parseJson(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

function reason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : ''
  return code === '' ? errorMessage(error) : `${errorMessage(error)}: ${code}`
}
