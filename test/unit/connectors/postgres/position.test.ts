import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseLsn } from '../../../../connectors/postgres/lsn.ts'
import { decodePosition, encodePosition } from '../../../../connectors/postgres/position.ts'

describe('connectors/postgres/position', () => {
  it('round-trips through a flat JSON object', () => {
    const position = {
      lsn: parseLsn('5/10'),
      snapshotCompleted: true,
      txId: 4_000_000_000,
      tsUsec: 1_700_000_000_000_000,
    }
    const stored = encodePosition(position)
    assert.deepEqual(JSON.parse(JSON.stringify(stored)), {
      lsn: '5/10',
      snapshot_completed: true,
      txId: 4_000_000_000,
      ts_usec: 1_700_000_000_000_000,
    })
    assert.deepEqual(decodePosition(stored), position)
  })

  it('refuses a position another connector wrote', () => {
    assert.throws(() => decodePosition({ file: 'mysql-bin.000001', pos: 4 }), {
      code: 'CDC_PG_POSITION_UNAVAILABLE',
    })
    assert.throws(() => decodePosition({ lsn: 'nope', snapshot_completed: true }), {
      code: 'CDC_PG_POSITION_UNAVAILABLE',
    })
  })
})
