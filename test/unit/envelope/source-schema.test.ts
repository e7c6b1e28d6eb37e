import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sourceSchema, snapshotMarkers } from '../../../envelope/source-schema.ts'

describe('envelope/source-schema', () => {
  it('starts with the common Debezium source fields, then the connector fields', () => {
    const schema = sourceSchema('io.debezium.connector.mysql.Source', [
      { name: 'table', schema: { type: 'string', optional: true } },
    ])
    assert.equal(schema.name, 'io.debezium.connector.mysql.Source')
    assert.equal(schema.version, 1)
    assert.deepEqual(
      schema.fields.map(
        (field) => `${field.name}:${field.schema.type}${field.schema.optional ? '?' : ''}`,
      ),
      [
        'version:string',
        'connector:string',
        'name:string',
        'ts_ms:int64',
        'snapshot:string?',
        'db:string',
        'sequence:string?',
        'ts_us:int64?',
        'ts_ns:int64?',
        'table:string?',
      ],
    )
  })

  it('makes snapshot an optional Enum defaulting to "false"', () => {
    const snapshot = sourceSchema('x.Source', []).fields[4]?.schema
    assert.deepEqual(snapshot, {
      type: 'string',
      optional: true,
      name: 'io.debezium.data.Enum',
      version: 1,
      parameters: { allowed: snapshotMarkers.join(',') },
      default: 'false',
    })
    assert.equal(
      snapshotMarkers.join(','),
      'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental',
    )
  })
})
