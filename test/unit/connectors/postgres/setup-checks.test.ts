import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { CatalogTable } from '../../../../connectors/postgres/catalog.ts'
import type { Queryable } from '../../../../connectors/postgres/queryable.ts'
import {
  checkReplicaIdentity,
  checkWalLevel,
} from '../../../../connectors/postgres/setup-checks.ts'

const answering = (rows: object[]): Queryable =>
  ({ query: () => Promise.resolve({ rows }) }) as unknown as Queryable

const table = (
  name: string,
  replicaIdentity: CatalogTable['replicaIdentity'],
  primaryKey: string[],
): CatalogTable => ({
  oid: 1,
  schema: 'public',
  name,
  replicaIdentity,
  primaryKey,
  columns: [],
  estimatedRows: null,
})

describe('connectors/postgres/setup-checks', () => {
  it('wal_level other than logical: CDC_PG_WAL_LEVEL saying to set it and restart', async () => {
    await assert.rejects(
      checkWalLevel(answering([{ wal_level: 'replica' }])),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'CDC_PG_WAL_LEVEL')
        assert.match(error.message, /wal_level=replica/)
        assert.match(error.message, /restart/)
        return true
      },
    )
    await checkWalLevel(answering([{ wal_level: 'logical' }]))
  })

  it('replica identity: no key under DEFAULT or NOTHING is refused with the statement to run', () => {
    checkReplicaIdentity([
      table('ok', 'd', ['id']),
      table('full', 'f', []),
      table('index', 'i', []),
    ])
    assert.throws(
      () => {
        checkReplicaIdentity([table('nokey', 'd', []), table('nothing', 'n', ['id'])])
      },
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'CDC_PG_REPLICA_IDENTITY')
        assert.match(
          error.message,
          /ALTER TABLE "public"\."nokey" REPLICA IDENTITY FULL; ALTER TABLE "public"\."nothing" REPLICA IDENTITY FULL/,
        )
        return true
      },
    )
  })
})
