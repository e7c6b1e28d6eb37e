import assert from 'node:assert/strict'
import { RegistryError } from '../../../../registry/embedded/registry-error.ts'
import type { SchemaStore } from '../../../../registry/embedded/schema-store.ts'

/** A record schema as registry request text; `fields` are `name:type` pairs. */
export function schema(...fields: string[]): { schema: string } {
  return {
    schema: JSON.stringify({
      type: 'record',
      name: 'Row',
      namespace: 'cdc.test',
      fields: fields.map((field) => {
        const [name, type, fallback] = field.split(':')
        return fallback === undefined
          ? { name, type }
          : { name, type, default: JSON.parse(fallback) as unknown }
      }),
    }),
  }
}

/** Asserts a RegistryError with Confluent's error code (and its HTTP status). */
export async function rejectsWith(
  promise: Promise<unknown>,
  errorCode: number,
  message?: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RegistryError, `expected a RegistryError, got ${String(error)}`)
    assert.equal(error.errorCode, errorCode, error.message)
    if (message !== undefined) assert.match(error.message, message)
    return true
  })
}

/** Everything a client can observe, for comparing two stores. */
export async function snapshot(store: SchemaStore): Promise<unknown> {
  const subjects = await store.subjects(true)
  const live = new Set(await store.subjects(false))
  const state: Record<string, unknown> = { global: await store.globalLevel() }
  for (const subject of subjects) {
    const liveVersions = live.has(subject) ? await store.versions(subject, false) : []
    const versions = []
    for (const version of await store.versions(subject, true)) {
      const { id, schema: text } = await store.version(subject, String(version), true)
      versions.push({ version, id, text, deleted: !liveVersions.includes(version) })
    }
    const level = await store.subjectLevel(subject, false).catch(() => 'unset')
    state[subject] = { level, versions }
  }
  return state
}
