import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { postgresSourceSchema, sourceBlock } from '../../../../connectors/postgres/source-info.ts'

describe('connectors/postgres/source-info', () => {
  it('has the io.debezium.connector.postgresql.Source fields in Debezium order', () => {
    assert.equal(postgresSourceSchema.name, 'io.debezium.connector.postgresql.Source')
    assert.deepEqual(
      postgresSourceSchema.fields.map(
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
        'schema:string',
        'table:string',
        'txId:int64?',
        'lsn:int64?',
        'xmin:int64?',
      ],
    )
  })

  it('fills timestamps from µs, sequence as a JSON array of decimal LSNs', () => {
    const { value } = sourceBlock({
      version: '1',
      name: 'app',
      db: 'db',
      timeUs: 1_700_000_000_123_456n,
      snapshot: 'false',
      lastCommitLsn: null,
      lsn: 0x1_0000_0000n,
      txId: 4294967295,
      schema: 's',
      table: 't',
    })
    assert.deepEqual(value, {
      version: '1',
      connector: 'postgresql',
      name: 'app',
      ts_ms: 1_700_000_000_123n,
      snapshot: 'false',
      db: 'db',
      sequence: '[null,"4294967296"]',
      ts_us: 1_700_000_000_123_456n,
      ts_ns: 1_700_000_000_123_456_000n,
      schema: 's',
      table: 't',
      txId: 4294967295n,
      lsn: 4294967296n,
      xmin: null,
    })
  })
})
