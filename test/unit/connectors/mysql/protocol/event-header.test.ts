import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../../../common/errors.ts'
import {
  checksumMatches,
  readEventHeader,
  verifyChecksum,
} from '../../../../../connectors/mysql/protocol/event-header.ts'
import { event, formatDescription, u64 } from './builders.ts'

describe('event header and checksum', () => {
  it('reads the 19-byte v4 header', () => {
    const e = event(16, u64(5n), { timestamp: 1234, serverId: 7, logPos: 999, flags: 0x20 })
    assert.deepEqual(readEventHeader(e), {
      timestamp: 1234,
      type: 16,
      serverId: 7,
      eventSize: 19 + 8 + 4,
      logPos: 999,
      flags: 0x20,
    })
  })

  it('checks CRC32 trailers', () => {
    const e = event(16, u64(5n))
    assert.ok(checksumMatches(e))
    const bad = Buffer.from(e)
    bad.writeUInt8(bad.readUInt8(20) ^ 0x40, 20)
    assert.ok(!checksumMatches(bad))
    assert.ok(!checksumMatches(event(16, u64(5n), { checksum: false })))
  })

  it('computes the FORMAT_DESCRIPTION checksum as if BINLOG_IN_USE were clear', () => {
    const closed = formatDescription()
    const open = Buffer.from(closed)
    open.writeUInt16LE(0x0001, 17)
    assert.ok(checksumMatches(open))
    assert.ok(checksumMatches(closed))
  })

  it('names the event and position on a mismatch', () => {
    const bad = Buffer.from(event(16, u64(5n)))
    bad.writeUInt8(0, bad.length - 1)
    assert.throws(
      () => {
        verifyChecksum(bad, 'XID_EVENT (16)', 'mysql-bin.000003:4711')
      },
      (error: unknown) =>
        isCdcError(error) &&
        error.code === 'CDC_DECODE_CHECKSUM' &&
        error.message.startsWith('XID_EVENT (16) at mysql-bin.000003:4711 fails its CRC32 check'),
    )
  })
})
