// Proves Apicurio answers the Confluent API as the client library expects: a schema
// registers, and an incompatible next version is refused with 409.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry'
import { testEnv } from '../../helpers/env.ts'
import { uniqueName } from '../../helpers/names.ts'

const registry = new SchemaRegistry({ host: testEnv.apicurioUrl })

function customerSchema(fields: object[]): string {
  return JSON.stringify({ type: 'record', name: 'Customer', namespace: 'smoke', fields })
}

describe('services: Apicurio registry', () => {
  it('registers a schema and encodes a record in the Confluent wire format', async () => {
    const subject = `${uniqueName('smoke')}-value`
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: customerSchema([{ name: 'id', type: 'int' }]) },
      { subject },
    )
    const encoded = await registry.encode(id, { id: 7 })
    assert.equal(encoded.readUInt8(0), 0)
    assert.equal(encoded.readInt32BE(1), id)
    assert.deepEqual({ ...(await registry.decode(encoded)) }, { id: 7 })
  })

  it('refuses an incompatible schema with HTTP 409 under BACKWARD', async () => {
    const subject = `${uniqueName('smoke')}-value`
    await registry.register(
      { type: SchemaType.AVRO, schema: customerSchema([{ name: 'id', type: 'int' }]) },
      { subject },
    )
    // A new field without a default cannot read old records: not BACKWARD compatible.
    const incompatible = customerSchema([
      { name: 'id', type: 'int' },
      { name: 'email', type: 'string' },
    ])
    await assert.rejects(
      registry.register({ type: SchemaType.AVRO, schema: incompatible }, { subject }),
      (error: unknown) => {
        assert.ok(error instanceof Error)
        assert.equal((error as Error & { status?: number }).status, 409, error.message)
        return true
      },
    )
  })
})
