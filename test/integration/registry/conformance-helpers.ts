import assert from 'node:assert/strict'
import { after, before } from 'node:test'
import { createEmbeddedRegistry } from '../../../registry/embedded/embedded-registry.ts'
import { InMemorySchemaLog } from '../../../registry/embedded/schema-log.ts'
import { testEnv } from '../../helpers/env.ts'
import { uniqueName } from '../../helpers/names.ts'

/**
 * The conformance suites run every case against both registries: the embedded one, which
 * follows Confluent's documented behaviour, and Apicurio's Confluent API. Where Apicurio
 * answers differently, the case states Apicurio's answer and why they differ next to
 * Confluent's; every other answer must be the same on both.
 */
export interface Target {
  name: 'embedded' | 'apicurio'
  url: string
}

export interface Answer {
  status: number
  body: unknown
}

export interface Expected {
  status: number
  errorCode?: number
  body?: unknown
}

/** Apicurio's own answer where it is not Confluent's, with the reason. */
export type ApicurioDiffers = Expected & { why: string }

export interface Conformance {
  targets: Target[]
  /** A subject no other test run uses, removed after the file; a per-subject level keeps the global one untouched. */
  freshSubject: (target: Target, level?: string) => Promise<string>
}

/** Starts the embedded registry for the file, lists both targets, cleans up after. */
export function conformance(): Conformance {
  const embedded = createEmbeddedRegistry({ log: new InMemorySchemaLog() })
  const targets: Target[] = [
    { name: 'embedded', url: '' },
    { name: 'apicurio', url: testEnv.apicurioUrl },
  ]
  const created: [Target, string][] = []
  before(async () => {
    const first = targets[0]
    if (first !== undefined) first.url = await embedded.listen('127.0.0.1', 0)
  })
  after(async () => {
    for (const [target, subject] of created) await removeSubject(target, subject)
    await embedded.close()
  })
  return {
    targets,
    freshSubject: async (target, level) => {
      const subject = `${uniqueName('conf')}-value`
      created.push([target, subject])
      if (level !== undefined) {
        const answer = await call(target, 'PUT', `/config/${subject}`, { compatibility: level })
        assert.equal(answer.status, 200, JSON.stringify(answer.body))
      }
      return subject
    },
  }
}

export async function call(
  target: Target,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  contentType = 'application/vnd.schemaregistry.v1+json',
): Promise<Answer> {
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: { 'content-type': contentType, accept: 'application/vnd.schemaregistry.v1+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // Plain text answers stay text.
  }
  return { status: response.status, body: parsed }
}

/** Checks an answer against Confluent's, or against Apicurio's documented difference. */
export function expectAnswer(
  target: Target,
  actual: Answer,
  confluent: Expected,
  apicurio?: ApicurioDiffers,
): void {
  const expected = target.name === 'apicurio' && apicurio !== undefined ? apicurio : confluent
  const context = `${target.name}: ${JSON.stringify(actual.body)}${apicurio === undefined ? '' : ` (Apicurio differs: ${apicurio.why})`}`
  assert.equal(actual.status, expected.status, context)
  if (expected.errorCode !== undefined) {
    assert.equal(errorCode(actual), expected.errorCode, context)
    assert.equal(typeof (actual.body as { message?: unknown }).message, 'string', context)
  }
  if (expected.body !== undefined) assert.deepEqual(actual.body, expected.body, context)
}

export function errorCode(answer: Answer): unknown {
  return typeof answer.body === 'object' && answer.body !== null
    ? (answer.body as { error_code?: unknown }).error_code
    : undefined
}

export function idOf(answer: Answer): number {
  assert.equal(answer.status, 200, JSON.stringify(answer.body))
  const id = (answer.body as { id?: unknown }).id
  assert.equal(typeof id, 'number')
  return id as number
}

/** A record schema as a register request; `fields` are `name:type` pairs. */
export function avro(...fields: string[]): { schema: string } {
  return {
    schema: JSON.stringify({
      type: 'record',
      name: 'Row',
      namespace: 'cdc.conformance',
      fields: fields.map((field) => {
        const [name, type] = field.split(':')
        return { name, type }
      }),
    }),
  }
}

/** Removes a subject from a registry, soft then hard, whatever state it is in. */
export async function removeSubject(target: Target, subject: string): Promise<void> {
  // Config first: Apicurio keeps a rule it can no longer delete once the subject is gone.
  await call(target, 'DELETE', `/config/${subject}`)
  await call(target, 'DELETE', `/subjects/${subject}`)
  await call(target, 'DELETE', `/subjects/${subject}?permanent=true`)
}
