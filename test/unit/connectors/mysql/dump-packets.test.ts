import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  binlogDumpGtidPacket,
  binlogDumpPacket,
  DumpFlag,
  encodeGtidSet,
  registerReplicaPacket,
} from '../../../../connectors/mysql/dump-packets.ts'
import { MysqlGtidSet } from '../../../../connectors/mysql/gtid.ts'
import { isCdcError } from '../../../../common/errors.ts'

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex')

describe('connectors/mysql/dump-packets', () => {
  it('builds COM_BINLOG_DUMP: position, flags, server id, file name', () => {
    const packet = binlogDumpPacket({
      file: 'mysql-bin.000002',
      position: 0x01020304,
      serverId: 0x0a0b0c0d,
      flags: DumpFlag.MARIADB_SEND_ANNOTATE_ROWS,
    })
    assert.deepEqual(
      packet,
      Buffer.concat([hex('12 04030201 0200 0d0c0b0a'), Buffer.from('mysql-bin.000002')]),
    )
  })

  it('refuses positions above 32 bits in COM_BINLOG_DUMP', () => {
    assert.throws(
      () => binlogDumpPacket({ file: 'f', position: 2 ** 32, serverId: 1, flags: 0 }),
      (error: unknown) => isCdcError(error) && /gtid_mode=ON/.test(error.message),
    )
  })

  it('builds COM_REGISTER_SLAVE', () => {
    assert.deepEqual(
      registerReplicaPacket({ serverId: 7, hostname: 'cdc-x', port: 3306 }),
      Buffer.concat([
        hex('15 07000000 05'),
        Buffer.from('cdc-x'),
        hex('00 00 ea0c 00000000 00000000'),
      ]),
    )
  })

  it('encodes a GTID set: sid count, then uuid bytes and [start, end) intervals', () => {
    const set = MysqlGtidSet.parse('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7')
    assert.deepEqual(
      encodeGtidSet(set),
      hex(`
        0100000000000000
        3e11fa4771ca11e19e33c80aa9429562
        0200000000000000
        0100000000000000 0600000000000000
        0700000000000000 0800000000000000`),
    )
    assert.deepEqual(encodeGtidSet(MysqlGtidSet.parse('')), hex('0000000000000000'))
  })

  it('builds COM_BINLOG_DUMP_GTID with the set after THROUGH_GTID', () => {
    const set = MysqlGtidSet.parse('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2')
    const data = encodeGtidSet(set)
    const packet = binlogDumpGtidPacket({ gtids: set, serverId: 9, flags: 0 })
    assert.deepEqual(
      packet,
      Buffer.concat([
        hex('1e 0400 09000000 00000000 0400000000000000'),
        hex(data.length.toString(16).padStart(2, '0') + '000000'),
        data,
      ]),
    )
    const named = binlogDumpGtidPacket({
      gtids: set,
      serverId: 9,
      flags: DumpFlag.NON_BLOCK,
      file: 'b.000001',
      position: 120n,
    })
    assert.equal(named.readUInt16LE(1), DumpFlag.NON_BLOCK | DumpFlag.THROUGH_GTID)
    assert.equal(named.readUInt32LE(7), 8)
    assert.equal(named.subarray(11, 19).toString(), 'b.000001')
    assert.equal(named.readBigUInt64LE(19), 120n)
  })
})
