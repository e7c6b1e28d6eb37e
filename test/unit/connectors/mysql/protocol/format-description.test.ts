import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../../../common/errors.ts'
import { ByteReader } from '../../../../../connectors/mysql/protocol/byte-reader.ts'
import { decodeFormatDescription } from '../../../../../connectors/mysql/protocol/format-description.ts'
import { formatDescription, u16, u32, u8 } from './builders.ts'

function body(version: string, table: number[], trailer: Buffer): Buffer {
  const name = Buffer.alloc(50)
  name.write(version, 'latin1')
  return Buffer.concat([u16(4), name, u32(1_600_000_000), u8(19), Buffer.from(table), trailer])
}

describe('decodeFormatDescription', () => {
  it('reads a MariaDB FORMAT_DESCRIPTION with CRC32', () => {
    const event = formatDescription({ serverVersion: '10.11.19-MariaDB-0+deb12u1-log' })
    const { body: fde, checksumLength } = decodeFormatDescription(new ByteReader(event, 19))
    assert.equal(checksumLength, 4)
    assert.equal(fde.checksum, 'crc32')
    assert.equal(fde.mariadb, true)
    assert.equal(fde.serverVersion, '10.11.19-MariaDB-0+deb12u1-log')
    assert.equal(fde.postHeaderLengths.length, 171)
    assert.equal(fde.postHeaderLengths[18], 8)
  })

  it('reads checksums OFF with the algorithm byte and 4 unused bytes still present', () => {
    const { body: fde, checksumLength } = decodeFormatDescription(
      new ByteReader(body('5.7.20-log', [56, 13, 0, 8], Buffer.concat([u8(0), u32(0xdeadbeef)]))),
    )
    assert.deepEqual([fde.checksum, checksumLength, fde.mariadb], ['none', 0, false])
    assert.deepEqual(fde.postHeaderLengths, [56, 13, 0, 8])
  })

  it('treats the UNDEF algorithm (255) as no checksum', () => {
    const { body: fde } = decodeFormatDescription(
      new ByteReader(body('8.0.28', [0, 13], Buffer.concat([u8(255), u32(0)]))),
    )
    assert.equal(fde.checksum, 'none')
  })

  it('reads servers older than checksums (MySQL 5.5) with no trailer at all', () => {
    const { body: fde, checksumLength } = decodeFormatDescription(
      new ByteReader(body('5.5.27-log', [56, 11, 0, 8, 0], Buffer.alloc(0))),
    )
    assert.deepEqual([fde.checksum, checksumLength], [null, 0])
    assert.deepEqual(fde.postHeaderLengths, [56, 11, 0, 8, 0])
  })

  it('refuses an unknown checksum algorithm and binlog versions other than 4', () => {
    assert.throws(
      () =>
        decodeFormatDescription(
          new ByteReader(body('8.0.28', [0], Buffer.concat([u8(2), u32(0)]))),
        ),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_UNSUPPORTED',
    )
    const v3 = body('4.0.1', [], Buffer.alloc(0))
    v3.writeUInt16LE(3, 0)
    assert.throws(
      () => decodeFormatDescription(new ByteReader(v3)),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_UNSUPPORTED',
    )
  })

  it('fails with CDC_DECODE_TRUNCATED when the event is too short', () => {
    assert.throws(
      () => decodeFormatDescription(new ByteReader(Buffer.concat([u16(4), Buffer.alloc(30)]))),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_TRUNCATED',
    )
  })
})
