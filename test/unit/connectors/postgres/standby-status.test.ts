import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseLsn } from '../../../../connectors/postgres/lsn.ts'
import { standbyStatusUpdate } from '../../../../connectors/postgres/standby-status.ts'

describe('connectors/postgres/standby-status', () => {
  it('reports exactly the given LSN as written, flushed and applied (no +1)', () => {
    const message = standbyStatusUpdate(parseLsn('0/1988B10'), Date.UTC(2000, 0, 1, 0, 0, 1))
    const view = new DataView(message.buffer)
    assert.equal(message.length, 34)
    assert.equal(message[0], 'r'.charCodeAt(0))
    for (const offset of [1, 9, 17]) assert.equal(view.getBigUint64(offset), 0x1988b10n)
    // The clock is µs since 2000-01-01: one second after it.
    assert.equal(view.getBigInt64(25), 1_000_000n)
    assert.equal(message[33], 0)
  })

  it('sets the reply-request byte when asked', () => {
    assert.equal(standbyStatusUpdate(1n, Date.now(), true)[33], 1)
  })

  it('carries an LSN across the 32-bit boundary unchanged', () => {
    const view = new DataView(standbyStatusUpdate(parseLsn('1/0'), Date.now()).buffer)
    assert.equal(view.getBigUint64(9), 1n << 32n)
  })
})
