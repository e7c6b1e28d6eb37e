import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { pino } from 'pino'
import { buildAdminApp } from '../../../admin-api/app.ts'
import type { AdminAppOptions } from '../../../admin-api/app.ts'
import { errorCodes } from '../../../common/errors.ts'
import { InMemoryConnectService, postgresClass } from './in-memory-connect-service.ts'

/** A config the in-memory service accepts, with a secret in each kind of secret key. */
export function validConfig(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'connector.class': postgresClass,
    'database.hostname': 'db.internal',
    'database.user': 'cdc',
    'database.password': 'pw-Hunter2-secret-value',
    'ssl.key.secret': 'sk-Key-9f8e7d',
    'api.token': 'tok-ABCDEF-123456',
    'topic.prefix': 'shop',
    ...overrides,
  }
}

/** The secret values of validConfig(), which must never appear in a response or a log line. */
export const secretValues = ['pw-Hunter2-secret-value', 'sk-Key-9f8e7d', 'tok-ABCDEF-123456']

export interface TestApp {
  app: FastifyInstance
  service: InMemoryConnectService
}

export function buildTestApp(
  t: TestContext,
  options: Partial<Omit<AdminAppOptions, 'service'>> = {},
): TestApp {
  const service = new InMemoryConnectService()
  const app = buildAdminApp({ service, ...options })
  t.after(() => app.close())
  return { app, service }
}

/** A pino logger writing into memory, to check what the API logs. */
export function captureLogs(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = []
  const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) })
  return { logger, lines }
}

export async function createConnector(
  app: FastifyInstance,
  name: string,
  config: Record<string, string> = validConfig(),
): Promise<void> {
  const response = await app.inject({
    method: 'POST',
    url: '/connectors',
    payload: { name, config },
  })
  assert.equal(response.statusCode, 201, response.body)
}

export interface ConnectErrorBody {
  error_code: number
  message: string
  code: string
}

/** Checks Kafka Connect's error shape plus our code, and returns the body. */
export function assertErrorBody(
  status: number,
  body: string,
  expected: { status?: number; code?: string; message?: RegExp } = {},
  label = '',
): ConnectErrorBody {
  const parsed = JSON.parse(body) as ConnectErrorBody
  if (expected.status !== undefined) assert.equal(status, expected.status, `${label}: ${body}`)
  assert.ok(status >= 400 && status < 500, `${label}: expected a 4xx, got ${status} ${body}`)
  assert.equal(parsed.error_code, status, label)
  assert.equal(typeof parsed.message, 'string', label)
  assert.ok(parsed.message.length > 10, `${label}: the message says what is wrong`)
  assert.ok(parsed.message.length < 10_100, `${label}: the message is bounded, whatever was sent`)
  assert.ok(
    (errorCodes as readonly string[]).includes(parsed.code),
    `${label}: code ${parsed.code}`,
  )
  if (expected.code !== undefined) assert.equal(parsed.code, expected.code, `${label}: ${body}`)
  if (expected.message !== undefined) assert.match(parsed.message, expected.message, label)
  assert.deepEqual(Object.keys(parsed).sort(), ['code', 'error_code', 'message'], label)
  return parsed
}

export function assertError(
  response: LightMyRequestResponse,
  expected: { status?: number; code?: string; message?: RegExp } = {},
  label = '',
): ConnectErrorBody {
  assert.match(String(response.headers['content-type']), /^application\/json/, label)
  return assertErrorBody(response.statusCode, response.body, expected, label)
}
