import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../../../common/errors.ts'
import { ByteReader } from '../../../../../connectors/mysql/protocol/byte-reader.ts'
import {
  decodeMariadbGtid,
  decodeMariadbGtidList,
  decodeMysqlGtid,
  decodePreviousGtids,
} from '../../../../../connectors/mysql/protocol/gtid-events.ts'
import { hex, lenenc, u32, u64, u8 } from './builders.ts'

const sid = hex('3e11fa4771ca11e19e33c80aa9429562')
const sidText = '3e11fa47-71ca-11e1-9e33-c80aa9429562'

function seven(value: bigint): Buffer {
  return u64(value).subarray(0, 7)
}

describe('MySQL GTID and ANONYMOUS_GTID', () => {
  it('reads the 5.6 form: flags, SID, GNO', () => {
    const event = decodeMysqlGtid(new ByteReader(Buffer.concat([u8(1), sid, u64(23n)])), false)
    assert.equal(event.gtid, `${sidText}:23`)
    assert.equal(event.gtidFlags, 1)
    assert.equal(event.lastCommitted, null)
  })

  it('reads the 5.7 logical clock', () => {
    const event = decodeMysqlGtid(
      new ByteReader(Buffer.concat([u8(0), sid, u64(5n), u8(2), u64(3n), u64(4n)])),
      true,
    )
    assert.equal(event.gtid, null)
    assert.deepEqual([event.lastCommitted, event.sequenceNumber], [3n, 4n])
  })

  it('reads the 8.0 commit timestamps, transaction length and server versions', () => {
    const immediate = 1_646_406_641_223_033n
    const original = 1_646_406_000_000_001n
    const event = decodeMysqlGtid(
      new ByteReader(
        Buffer.concat([
          u8(1),
          sid,
          u64(9n),
          u8(2),
          u64(7n),
          u64(8n),
          seven(immediate | (1n << 55n)),
          seven(original),
          lenenc(567),
          u32(80028 | 0x80000000),
          u32(80026),
          u64(42n),
        ]),
      ),
      false,
    )
    assert.equal(event.immediateCommitTimestamp, immediate)
    assert.equal(event.originalCommitTimestamp, original)
    assert.equal(event.transactionLength, 567n)
    assert.deepEqual([event.immediateServerVersion, event.originalServerVersion], [80028, 80026])
    assert.equal(event.commitGroupTicket, 42n)
  })

  it('takes the original timestamp and version from the immediate ones when their top bit is clear', () => {
    const event = decodeMysqlGtid(
      new ByteReader(
        Buffer.concat([
          u8(1),
          sid,
          u64(9n),
          u8(2),
          u64(0n),
          u64(1n),
          seven(5n),
          lenenc(10),
          u32(80400),
        ]),
      ),
      false,
    )
    assert.deepEqual([event.originalCommitTimestamp, event.originalServerVersion], [5n, 80400])
  })

  it('rejects an unknown logical timestamp marker and trailing bytes', () => {
    const invalid = (error: unknown): boolean =>
      isCdcError(error) && error.code === 'CDC_DECODE_INVALID'
    assert.throws(
      () => decodeMysqlGtid(new ByteReader(Buffer.concat([u8(1), sid, u64(9n), u8(3)])), false),
      invalid,
    )
    const tooLong = Buffer.concat([
      u8(1),
      sid,
      u64(9n),
      u8(2),
      u64(0n),
      u64(1n),
      seven(5n),
      lenenc(1),
      u32(1),
      u64(1n),
      u8(0),
    ])
    assert.throws(() => decodeMysqlGtid(new ByteReader(tooLong), false), invalid)
  })
})

describe('PREVIOUS_GTIDS', () => {
  it('reads SIDs and [start, end) intervals into MySQL set text', () => {
    const body = Buffer.concat([
      u64(2n),
      sid,
      u64(2n),
      u64(1n),
      u64(6n),
      u64(7n),
      u64(8n),
      hex('00000000000000000000000000000001'),
      u64(1n),
      u64(2n ** 60n),
      u64(2n ** 60n + 2n),
    ])
    const event = decodePreviousGtids(new ByteReader(body))
    assert.equal(
      event.gtidSet,
      `${sidText}:1-5:7,00000000-0000-0000-0000-000000000001:${2n ** 60n}-${2n ** 60n + 1n}`,
    )
    assert.deepEqual(event.sets[0]?.intervals, [
      { start: 1n, end: 6n },
      { start: 7n, end: 8n },
    ])
  })

  it('reads an empty set', () => {
    assert.deepEqual(decodePreviousGtids(new ByteReader(u64(0n))), {
      kind: 'previousGtids',
      sets: [],
      gtidSet: '',
    })
  })

  it('fails on counts larger than the event', () => {
    assert.throws(
      () => decodePreviousGtids(new ByteReader(u64(1000n))),
      (error: unknown) => isCdcError(error),
    )
    assert.throws(
      () => decodePreviousGtids(new ByteReader(Buffer.concat([u64(1n), sid, u64(5n)]))),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_TRUNCATED',
    )
  })
})

describe('MariaDB GTID and GTID_LIST', () => {
  it('reads a DDL GTID padded to 19 bytes; the server id comes from the header', () => {
    const event = decodeMariadbGtid(
      new ByteReader(Buffer.concat([u64(18n), u32(0), u8(0x29), Buffer.alloc(6)])),
      1,
    )
    assert.deepEqual(
      [event.gtid, event.standalone, event.commitId, event.xid, event.flagsExtra],
      ['0-1-18', true, null, null, 0],
    )
  })

  it('reads the group commit id, an XA xid and the extra flags', () => {
    const body = Buffer.concat([
      u64(7n),
      u32(3),
      u8(0x02 | 0x04 | 0x40),
      u64(99n),
      u32(1),
      u8(3),
      u8(1),
      Buffer.from('abcZ'),
      u8(0x01 | 0x04),
      u8(2),
      u64(55n),
    ])
    const event = decodeMariadbGtid(new ByteReader(body), 12)
    assert.equal(event.gtid, '3-12-7')
    assert.equal(event.commitId, 99n)
    assert.equal(event.standalone, false)
    assert.deepEqual(event.xid, { formatId: 1, gtrid: Buffer.from('abc'), bqual: Buffer.from('Z') })
    assert.deepEqual([event.flagsExtra, event.extraEngines, event.startAlterSequence], [5, 2, 55n])
  })

  it('rejects trailing bytes that are not zero padding', () => {
    assert.throws(
      () =>
        decodeMariadbGtid(
          new ByteReader(Buffer.concat([u64(1n), u32(0), u8(0x0c), hex('000000000001')])),
          1,
        ),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_INVALID',
    )
  })

  it('reads a GTID list with its flags, and the empty padded list of a new file', () => {
    const event = decodeMariadbGtidList(
      new ByteReader(
        Buffer.concat([u32(2 | (1 << 28)), u32(0), u32(1), u64(10n), u32(5), u32(2), u64(3n)]),
      ),
    )
    assert.equal(event.listFlags, 1)
    assert.deepEqual(event.gtids, [
      { domainId: 0, serverId: 1, sequence: 10n },
      { domainId: 5, serverId: 2, sequence: 3n },
    ])
    assert.deepEqual(decodeMariadbGtidList(new ByteReader(hex('00000000 0000'))).gtids, [])
  })
})
