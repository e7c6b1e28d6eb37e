// The service's registry client against both registries over HTTP, and against nothing.
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { describe, it } from 'node:test'
import { CdcError } from '../../../common/errors.ts'
import { ConfluentRegistryClient } from '../../../registry/client/confluent-registry-client.ts'
import { frame, unframe } from '../../../registry/wire-format.ts'
import { call, conformance } from './conformance-helpers.ts'

const { targets, freshSubject } = conformance()

const row = (...fields: object[]) =>
  JSON.stringify({ type: 'record', name: 'Row', namespace: 'cdc.client', fields })
const id = { name: 'id', type: 'long' }

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve()
    })
  })
  assert.ok(typeof address === 'object' && address !== null)
  return address.port
}

for (const target of targets) {
  describe(`registry/client against ${target.name}`, () => {
    it('registers, reuses the id, and reads the schema back by id', async () => {
      const client = new ConfluentRegistryClient({ url: target.url })
      const subject = await freshSubject(target)
      const first = await client.register(subject, row(id))
      assert.equal(await client.register(subject, row(id)), first)
      const second = await client.register(
        subject,
        row(id, { name: 'email', type: ['null', 'string'], default: null }),
      )
      assert.notEqual(second, first)
      assert.deepEqual(JSON.parse(await client.schemaById(first)), JSON.parse(row(id)))
      const nullableEmail = { name: 'email', type: ['null', 'string'], default: null }
      const latest = await client.latestVersion(subject)
      assert.deepEqual(
        { ...latest, schema: JSON.parse(latest?.schema ?? 'null') as unknown },
        {
          subject,
          version: 2,
          id: second,
          schema: JSON.parse(row(id, nullableEmail)) as unknown,
        },
      )
      assert.equal(unframe(frame(second, Buffer.from([2]))).id, second)
    })

    it('refuses an incompatible schema with CDC_REG_INCOMPATIBLE_SCHEMA and does not register it', async () => {
      const client = new ConfluentRegistryClient({ url: target.url })
      const subject = await freshSubject(target, 'FULL')
      await client.register(subject, row(id))
      await assert.rejects(
        client.register(subject, row(id, { name: 'email', type: 'string' })),
        (error: unknown) => {
          assert.ok(error instanceof CdcError)
          assert.equal(error.code, 'CDC_REG_INCOMPATIBLE_SCHEMA')
          assert.match(error.message, new RegExp(`subject "${subject}" is not FULL compatible`))
          assert.equal(error.details.level, 'FULL')
          return true
        },
      )
      const versions = await call(target, 'GET', `/subjects/${subject}/versions`)
      assert.deepEqual(versions.body, [1])
    })

    it('reads the level of a subject it has never seen as the global one', async () => {
      const client = new ConfluentRegistryClient({ url: target.url })
      assert.equal(await client.compatibilityLevel(await freshSubject(target)), 'BACKWARD')
      assert.equal(await client.latestVersion(await freshSubject(target)), undefined)
    })
  })
}

describe('registry/client without a registry', () => {
  it('reports CDC_REG_UNAVAILABLE, retriable, when nothing listens', async () => {
    const client = new ConfluentRegistryClient({ url: `http://127.0.0.1:${await closedPort()}` })
    await assert.rejects(client.register('x-value', row(id)), (error: unknown) => {
      assert.ok(error instanceof CdcError)
      assert.equal(error.code, 'CDC_REG_UNAVAILABLE')
      assert.equal(error.retriable, true)
      assert.match(error.message, /cannot be reached .*ECONNREFUSED/)
      return true
    })
  })
})
