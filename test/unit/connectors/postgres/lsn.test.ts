import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatLsn, parseLsn, readLsn, writeLsn } from '../../../../connectors/postgres/lsn.ts'

describe('connectors/postgres/lsn', () => {
  it('parses padded and unpadded text into the same 64-bit value', () => {
    assert.equal(parseLsn('16/B374D848'), (0x16n << 32n) | 0xb374d848n)
    assert.equal(parseLsn('00000016/B374D848'), parseLsn('16/b374d848'))
    assert.equal(parseLsn('0/0'), 0n)
    assert.equal(parseLsn('FFFFFFFF/FFFFFFFF'), (1n << 64n) - 1n)
  })

  it('formats as the server does, without padding', () => {
    assert.equal(formatLsn(0x1_0000_0000n), '1/0')
    assert.equal(formatLsn(0x193c218n), '0/193C218')
    assert.equal(formatLsn(parseLsn('16/B374D848')), '16/B374D848')
  })

  it('compares numerically where strings would not', () => {
    assert.ok(parseLsn('0/10') > parseLsn('0/9'))
    assert.ok(parseLsn('1/0') > parseLsn('0/FFFFFFFF'))
  })

  it('rejects anything that is not an LSN', () => {
    for (const text of ['', '0', '1/2/3', 'x/1', '123456789/0', '-1/0']) {
      assert.throws(() => parseLsn(text), RangeError, text)
    }
    assert.throws(() => formatLsn(-1n), RangeError)
    assert.throws(() => formatLsn(1n << 64n), RangeError)
  })

  it('reads and writes big-endian 64-bit values', () => {
    const buffer = new Uint8Array(10)
    writeLsn(buffer, 1, parseLsn('12345678/9ABCDEF0'))
    assert.deepEqual([...buffer], [0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0])
    assert.equal(formatLsn(readLsn(buffer, 1)), '12345678/9ABCDEF0')
  })
})
