import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { zstdCompressSync } from 'node:zlib'
import { isCdcError } from '../../../../../common/errors.ts'
import { ByteReader } from '../../../../../connectors/mysql/protocol/byte-reader.ts'
import { readTransactionPayload } from '../../../../../connectors/mysql/protocol/transaction-payload.ts'
import { lenenc } from './builders.ts'

function field(type: number, value: number): Buffer {
  const encoded = lenenc(value)
  return Buffer.concat([lenenc(type), lenenc(encoded.length), encoded])
}

function payload(
  inner: Buffer,
  compression: number,
  options: { uncompressed?: number } = {},
): Buffer {
  const data = compression === 0 ? zstdCompressSync(inner) : inner
  return Buffer.concat([
    field(2, compression),
    field(3, options.uncompressed ?? inner.length),
    field(1, data.length),
    lenenc(0),
    data,
  ])
}

describe('readTransactionPayload', () => {
  const inner = Buffer.from('pretend these are events '.repeat(40))

  it('inflates zstd payloads and checks the uncompressed size', () => {
    const result = readTransactionPayload(new ByteReader(payload(inner, 0)))
    assert.equal(result.compression, 'zstd')
    assert.equal(result.uncompressedSize, inner.length)
    assert.ok(result.compressedSize < inner.length)
    assert.deepEqual(result.events, inner)
  })

  it('passes uncompressed payloads (type 255) through', () => {
    const result = readTransactionPayload(new ByteReader(payload(inner, 255)))
    assert.equal(result.compression, 'none')
    assert.deepEqual(result.events, inner)
  })

  it('fails on a size mismatch, an unknown compression or header field, and garbage', () => {
    const check = (bytes: Buffer, code: string) => {
      assert.throws(
        () => readTransactionPayload(new ByteReader(bytes)),
        (error: unknown) => isCdcError(error) && error.code === code,
      )
    }
    check(payload(inner, 0, { uncompressed: 5 }), 'CDC_DECODE_INVALID')
    check(payload(inner, 1), 'CDC_DECODE_UNSUPPORTED')
    check(Buffer.concat([field(7, 1), lenenc(0)]), 'CDC_DECODE_INVALID')
    check(
      Buffer.concat([field(2, 0), field(1, 4), lenenc(0), Buffer.from('nope')]),
      'CDC_DECODE_INVALID',
    )
    check(Buffer.concat([field(2, 0), lenenc(0)]), 'CDC_DECODE_INVALID')
    check(
      Buffer.concat([field(2, 0), field(1, 100), lenenc(0), Buffer.alloc(10)]),
      'CDC_DECODE_TRUNCATED',
    )
  })
})
