import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import type { StructValue } from '../../../envelope/connect-schema.ts'
import {
  comparePositions,
  coversPosition,
  isVisibleTo,
  positionOf,
  positionText,
} from '../../../enrichment/commit-position.ts'

const pg = (fields: StructValue): StructValue => ({
  connector: 'postgresql',
  ts_ms: 1_700_000_000_000n,
  txId: 771n,
  lsn: null,
  sequence: null,
  ...fields,
})
const mysql = (fields: StructValue): StructValue => ({
  connector: 'mysql',
  ts_ms: 1_700_000_000_000n,
  snapshot: 'false',
  gtid: null,
  ...fields,
})

const invalid = (error: unknown) => isCdcError(error) && error.code === 'CDC_ENRICH_INPUT_INVALID'

describe('enrichment/commit-position', () => {
  it('reads PostgreSQL source.sequence as [last commit, lsn], the transaction being the last commit', () => {
    const big = 2n ** 60n + 3n
    const position = positionOf(
      pg({ sequence: `["${big}","${big + 40n}"]`, lsn: big + 40n }),
      7n,
      'r',
    )
    assert.deepEqual(position, { kind: 'postgres', parts: [big, big + 40n], txn: `c${big}` })
    assert.equal(positionText(position), `postgres/${big}.${big + 40n}`)
  })

  it('orders PostgreSQL snapshot reads (no last commit) before the transactions after them', () => {
    const snapshot = positionOf(
      pg({ sequence: '[null,"5000"]', lsn: 5000n, snapshot: 'true' }),
      0n,
      'r',
    )
    assert.deepEqual(snapshot, { kind: 'postgres', parts: [5000n, 0n], txn: 'x771' })
    const streamed = positionOf(pg({ sequence: '["5000","5100"]' }), 0n, 'r')
    assert.equal(comparePositions(snapshot, streamed), -1)
    assert.equal(isVisibleTo(snapshot, streamed), true)
    assert.equal(coversPosition(streamed, snapshot), true)
  })

  it('falls back to source.lsn without a sequence', () => {
    assert.deepEqual(positionOf(pg({ lsn: 42n }), 0n, 'r').parts, [42n, 0n])
  })

  it('rejects a sequence that is not a pair of decimal LSNs', () => {
    for (const sequence of ['nope', '["1"]', '["0/16B3748","1"]', '[1,2]']) {
      assert.throws(() => positionOf(pg({ sequence }), 0n, 'topic/0@3'), invalid, sequence)
    }
  })

  it('reads binlog (file, pos, row), comparing file names by their numeric suffix', () => {
    const ninth = positionOf(mysql({ file: 'mysql-bin.000009', pos: 900n, row: 0 }), 0n, 'r')
    const tenth = positionOf(mysql({ file: 'mysql-bin.000010', pos: 4n, row: 2 }), 0n, 'r')
    assert.deepEqual(tenth, { kind: 'binlog', parts: [10n, 4n, 2n], txn: null })
    assert.equal(comparePositions(ninth, tenth), -1)
    assert.equal(coversPosition(tenth, tenth), true)
    assert.throws(() => positionOf(mysql({ file: 'binlog', pos: 1n }), 0n, 'r'), invalid)
  })

  it('treats changes with one GTID as one transaction, and snapshot rows as one', () => {
    const gtid = '3e11fa47-71ca-11e1-9e33-c80aa9429562:23'
    const first = positionOf(mysql({ file: 'b.000001', pos: 100n, row: 0, gtid }), 0n, 'r')
    const second = positionOf(mysql({ file: 'b.000001', pos: 180n, row: 0, gtid }), 0n, 'r')
    assert.equal(isVisibleTo(second, first), true)
    assert.equal(coversPosition(second, first), false)
    const snapshot = positionOf(
      mysql({ file: 'b.000001', pos: 4n, row: 0, snapshot: 'true' }),
      0n,
      'r',
    )
    assert.equal(snapshot.txn, 's1.4')
  })

  it('orders by GTID sequence numbers when there is no binlog file', () => {
    const mysqlGtid = positionOf(
      mysql({ gtid: '3E11FA47-71CA-11E1-9E33-C80AA9429562:23' }),
      0n,
      'r',
    )
    assert.deepEqual(mysqlGtid, {
      kind: 'gtid:3e11fa47-71ca-11e1-9e33-c80aa9429562',
      parts: [23n],
      txn: '3E11FA47-71CA-11E1-9E33-C80AA9429562:23',
    })
    const mariadb = positionOf({ ...mysql({ gtid: '0-1-42' }), connector: 'mariadb' }, 0n, 'r')
    assert.deepEqual(mariadb.parts, [42n])
    assert.equal(mariadb.kind, 'gtid:0')
    assert.throws(() => positionOf(mysql({ gtid: 'what' }), 0n, 'r'), invalid)
  })

  it('falls back to (source.ts_ms, offset) for other connectors', () => {
    const position = positionOf({ connector: 'sqlserver', ts_ms: 17n }, 99n, 'r')
    assert.deepEqual(position, { kind: 'kafka', parts: [17n, 99n], txn: null })
    assert.throws(() => positionOf({ connector: 'sqlserver' }, 0n, 'r'), invalid)
  })

  it('refuses to compare positions of different kinds', () => {
    const a = { kind: 'postgres', parts: [1n, 2n], txn: null }
    const b = { kind: 'binlog', parts: [1n, 2n, 3n], txn: null }
    assert.throws(
      () => comparePositions(a, b),
      (error) => isCdcError(error) && error.code === 'CDC_ENRICH_POSITION_MISMATCH',
    )
  })

  it('sees its own transaction and earlier ones, never later ones', () => {
    const event = { kind: 'postgres', parts: [10n, 5n], txn: 'c10' }
    assert.equal(isVisibleTo({ kind: 'postgres', parts: [10n, 9n], txn: 'c10' }, event), true)
    assert.equal(isVisibleTo({ kind: 'postgres', parts: [9n, 99n], txn: 'c9' }, event), true)
    assert.equal(isVisibleTo({ kind: 'postgres', parts: [11n, 0n], txn: 'c11' }, event), false)
    assert.equal(coversPosition({ kind: 'postgres', parts: [10n, 9n], txn: 'c10' }, event), false)
    assert.equal(coversPosition({ kind: 'postgres', parts: [11n, 0n], txn: 'c11' }, event), true)
  })
})
