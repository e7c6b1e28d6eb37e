import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { snapshotMarker } from '../../../../connectors/postgres/snapshot.ts'

describe('connectors/postgres/snapshot markers', () => {
  it('follow Debezium: last wins, then first, then the per-table markers', () => {
    assert.equal(snapshotMarker(true, true, true, true), 'last')
    assert.equal(snapshotMarker(true, false, true, false), 'first')
    assert.equal(snapshotMarker(false, false, true, true), 'last_in_data_collection')
    assert.equal(snapshotMarker(false, false, true, false), 'first_in_data_collection')
    assert.equal(snapshotMarker(false, false, false, false), 'true')
  })
})
