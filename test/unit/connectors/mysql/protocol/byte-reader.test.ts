import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../../../common/errors.ts'
import { ByteReader } from '../../../../../connectors/mysql/protocol/byte-reader.ts'
import { hex } from './builders.ts'

function code(expected: string) {
  return (error: unknown): boolean => isCdcError(error) && error.code === expected
}

describe('ByteReader', () => {
  it('reads little-endian integers of every width, signed and unsigned', () => {
    const r = new ByteReader(hex('ff ffff ffffff ffffffff ffffffffffff ffffffffffffffff 80'))
    assert.equal(r.u8(), 255)
    assert.equal(r.i16(), -1)
    assert.equal(r.u24(), 0xffffff)
    assert.equal(r.i32(), -1)
    assert.equal(r.u48(), 2 ** 48 - 1)
    assert.equal(r.u64(), 18446744073709551615n)
    assert.equal(r.i8(), -128)
    assert.ok(r.atEnd())
  })

  it('reads big-endian integers and multi-byte little-endian bigints', () => {
    const r = new ByteReader(hex('0102030405 0102'))
    assert.equal(r.uintBE(5), 0x0102030405)
    assert.equal(r.uintLEBig(2), 0x0201n)
  })

  it('reads every length-encoded integer form', () => {
    const r = new ByteReader(hex('fa fc3412 fd563412 fe0800000000000000'))
    assert.equal(r.lenenc(), 250)
    assert.equal(r.lenenc(), 0x1234)
    assert.equal(r.lenenc(), 0x123456)
    assert.equal(r.lenencBig(), 8n)
  })

  it('rejects 0xfb and 0xff as length-encoded integers', () => {
    assert.throws(() => new ByteReader(hex('fb')).lenenc(), code('CDC_DECODE_INVALID'))
    assert.throws(() => new ByteReader(hex('ff')).lenenc(), code('CDC_DECODE_INVALID'))
  })

  it('refuses a length above 2^53 instead of losing precision', () => {
    assert.throws(
      () => new ByteReader(hex('feffffffffffffff7f')).lenenc(),
      code('CDC_DECODE_INVALID'),
    )
  })

  it('throws CDC_DECODE_TRUNCATED, naming the need and the offset, past the end', () => {
    const r = new ByteReader(hex('010203'))
    r.u8()
    assert.throws(
      () => r.u32('the thing'),
      (error: unknown) =>
        isCdcError(error) &&
        error.code === 'CDC_DECODE_TRUNCATED' &&
        error.message === 'the thing needs 4 bytes at offset 1 but only 2 remain',
    )
    assert.throws(() => new ByteReader(hex('fc01')).lenenc(), code('CDC_DECODE_TRUNCATED'))
    assert.throws(() => new ByteReader(hex('00')).bytes(2), code('CDC_DECODE_TRUNCATED'))
  })

  it('stays inside its slice of a larger buffer', () => {
    const r = new ByteReader(hex('aa bbcc dd'), 1, 3)
    assert.equal(r.remaining, 2)
    assert.equal(r.u16(), 0xccbb)
    assert.throws(() => r.u8(), code('CDC_DECODE_TRUNCATED'))
  })

  it('reads NUL-terminated strings and fails when the NUL is outside the slice', () => {
    const r = new ByteReader(hex('616200 63'))
    assert.equal(r.nulTerminated().toString(), 'ab')
    assert.equal(r.offset, 3)
    assert.throws(
      () => new ByteReader(hex('61620063'), 0, 2).nulTerminated(),
      code('CDC_DECODE_TRUNCATED'),
    )
  })

  it('gives sub-readers that advance the parent', () => {
    const r = new ByteReader(hex('0102 03'))
    const sub = r.sub(2)
    assert.equal(sub.u16(), 0x0201)
    assert.equal(r.u8(), 3)
    assert.throws(() => new ByteReader(hex('01')).sub(2), code('CDC_DECODE_TRUNCATED'))
  })

  it('expectEnd fails on leftover bytes', () => {
    const r = new ByteReader(hex('0102'))
    r.u8()
    assert.throws(() => {
      r.expectEnd('the block')
    }, code('CDC_DECODE_INVALID'))
    r.u8()
    r.expectEnd('the block')
  })
})
