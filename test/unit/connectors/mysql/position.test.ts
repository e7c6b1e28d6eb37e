import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  binlogFileIndex,
  bytesBetween,
  compareCoordinates,
  decodePosition,
  encodePosition,
  isRetained,
} from '../../../../connectors/mysql/position.ts'
import { isCdcError } from '../../../../common/errors.ts'
import type { Position } from '../../../../connectors/ports.ts'

describe('connectors/mysql/position', () => {
  it('round-trips through a flat JSON object', () => {
    const position = {
      file: 'mysql-bin.000003',
      pos: 1234,
      gtids: '0-1-99',
      snapshotCompleted: true,
      tsMs: 1700000000000,
    }
    const encoded = encodePosition(position)
    assert.deepEqual(encoded, {
      file: 'mysql-bin.000003',
      pos: 1234,
      gtids: '0-1-99',
      snapshot_completed: true,
      ts_ms: 1700000000000,
    })
    assert.deepEqual(
      decodePosition(JSON.parse(JSON.stringify(encoded)) as typeof encoded),
      position,
    )
  })

  it('fills in what older positions lack and refuses foreign ones', () => {
    assert.deepEqual(decodePosition({ file: 'f.000001', pos: 4, snapshot_completed: false }), {
      file: 'f.000001',
      pos: 4,
      gtids: '',
      snapshotCompleted: false,
      tsMs: null,
    })
    const foreigns: Position[] = [
      { lsn: '0/1' },
      { file: 'f', pos: '4', snapshot_completed: true },
      { file: 'f', pos: -1, snapshot_completed: true },
    ]
    for (const foreign of foreigns) {
      assert.throws(
        () => decodePosition(foreign),
        (error: unknown) => isCdcError(error) && error.code === 'CDC_MYSQL_POSITION_UNAVAILABLE',
      )
    }
  })

  it('orders coordinates by file number, then offset', () => {
    assert.equal(binlogFileIndex('mysql-bin.000012'), 12)
    assert.equal(binlogFileIndex('weird'), null)
    const at = (file: string, pos: number) => ({ file, pos })
    assert.equal(compareCoordinates(at('b.000002', 4), at('b.000010', 4)), -1)
    assert.equal(compareCoordinates(at('b.000010', 4), at('b.000002', 900)), 1)
    assert.equal(compareCoordinates(at('b.000002', 50), at('b.000002', 40)), 1)
    assert.equal(compareCoordinates(at('b.000002', 50), at('b.000002', 50)), 0)
  })

  it('counts bytes between two coordinates over the files kept', () => {
    const files = [
      { name: 'b.000001', size: 1000 },
      { name: 'b.000002', size: 2000 },
      { name: 'b.000003', size: 500 },
    ]
    assert.equal(
      bytesBetween({ file: 'b.000002', pos: 100 }, { file: 'b.000002', pos: 350 }, files),
      250,
    )
    assert.equal(
      bytesBetween({ file: 'b.000001', pos: 900 }, { file: 'b.000003', pos: 20 }, files),
      100 + 2000 + 20,
    )
    assert.equal(
      bytesBetween({ file: 'b.000003', pos: 20 }, { file: 'b.000003', pos: 20 }, files),
      0,
    )
    assert.equal(
      bytesBetween({ file: 'b.000000', pos: 4 }, { file: 'b.000003', pos: 20 }, files),
      null,
    )
    assert.ok(isRetained('b.000002', files))
    assert.ok(!isRetained('b.000009', files))
  })
})
