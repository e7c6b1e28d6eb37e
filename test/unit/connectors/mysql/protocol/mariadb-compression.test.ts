import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { deflateRawSync, deflateSync } from 'node:zlib'
import { isCdcError } from '../../../../../common/errors.ts'
import {
  inflateMariadbBlock,
  inflateMariadbColumn,
} from '../../../../../connectors/mysql/protocol/mariadb-compression.ts'
import { hex } from './builders.ts'

function block(data: Buffer, lengthBytes: number): Buffer {
  const length = Buffer.alloc(lengthBytes)
  length.writeUIntBE(data.length, 0, lengthBytes)
  return Buffer.concat([Buffer.from([0x80 | lengthBytes]), length, deflateSync(data)])
}

describe('inflateMariadbBlock', () => {
  it('inflates blocks with 1- to 4-byte big-endian lengths', () => {
    const data = Buffer.from('x'.repeat(300))
    for (const size of [2, 3, 4]) assert.deepEqual(inflateMariadbBlock(block(data, size)), data)
    assert.deepEqual(inflateMariadbBlock(block(Buffer.from('hi'), 1)), Buffer.from('hi'))
  })

  it('rejects a header without the compressed bit, another algorithm, or a bad length size', () => {
    const invalid = (error: unknown): boolean =>
      isCdcError(error) && error.code === 'CDC_DECODE_INVALID'
    const good = block(Buffer.from('hi'), 1)
    for (const header of [0x01, 0x91, 0x80, 0x85]) {
      const bad = Buffer.from(good)
      bad.writeUInt8(header, 0)
      assert.throws(() => inflateMariadbBlock(bad), invalid)
    }
  })

  it('rejects a length that differs from the inflated data, and a broken zlib stream', () => {
    const invalid = (error: unknown): boolean =>
      isCdcError(error) && error.code === 'CDC_DECODE_INVALID'
    const wrong = block(Buffer.from('hello'), 1)
    wrong.writeUInt8(9, 1)
    assert.throws(() => inflateMariadbBlock(wrong), invalid)
    assert.throws(() => inflateMariadbBlock(hex('81 05 0102030405')), invalid)
  })

  it('fails with CDC_DECODE_TRUNCATED on an empty block or one cut in its length', () => {
    const truncated = (error: unknown): boolean =>
      isCdcError(error) && error.code === 'CDC_DECODE_TRUNCATED'
    assert.throws(() => inflateMariadbBlock(Buffer.alloc(0)), truncated)
    assert.throws(() => inflateMariadbBlock(hex('83 0001')), truncated)
  })
})

describe('inflateMariadbColumn (COMPRESSED columns)', () => {
  const data = Buffer.from('bc'.repeat(300))

  it('inflates raw deflate (the default, flag 0x08) and zlib-wrapped values', () => {
    assert.deepEqual(
      inflateMariadbColumn(Buffer.concat([hex('8a 0258'), deflateRawSync(data)])),
      data,
    )
    assert.deepEqual(inflateMariadbColumn(Buffer.concat([hex('82 0258'), deflateSync(data)])), data)
  })

  it('passes values stored as is (header 0x00) and empty values through', () => {
    assert.deepEqual(inflateMariadbColumn(hex('00 6869')), Buffer.from('hi'))
    assert.deepEqual(inflateMariadbColumn(Buffer.alloc(0)), Buffer.alloc(0))
  })

  it('rejects unknown headers, a wrong length and broken streams', () => {
    const invalid = (error: unknown): boolean =>
      isCdcError(error) && error.code === 'CDC_DECODE_INVALID'
    assert.throws(() => inflateMariadbColumn(hex('01 6869')), invalid)
    assert.throws(() => inflateMariadbColumn(hex('9a 0258 00')), invalid)
    assert.throws(() => inflateMariadbColumn(hex('8b')), invalid)
    assert.throws(
      () => inflateMariadbColumn(Buffer.concat([hex('8a 0259'), deflateRawSync(data)])),
      invalid,
    )
    assert.throws(() => inflateMariadbColumn(hex('8a 0258 ffffff')), invalid)
  })
})
