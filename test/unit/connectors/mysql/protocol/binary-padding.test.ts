import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../../../common/errors.ts'
import {
  formatInet4,
  formatInet6,
  formatMariadbUuid,
  padBinary,
} from '../../../../../connectors/mysql/protocol/binary-padding.ts'
import { readBinlogFile } from '../../../../../connectors/mysql/protocol/binlog-file.ts'
import { hex } from './builders.ts'

describe('BINARY padding and MariaDB UUID/INET text', () => {
  it('restores the trailing zero bytes the server stripped', () => {
    assert.deepEqual(padBinary(hex('6162'), 4), hex('61620000'))
    assert.deepEqual(padBinary(Buffer.alloc(0), 2), hex('0000'))
    const full = hex('01020304')
    assert.equal(padBinary(full, 4), full)
    assert.throws(
      () => padBinary(full, 3),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_INVALID',
    )
  })

  it('formats UUIDs from their stripped binlog bytes', () => {
    assert.equal(
      formatMariadbUuid(hex('550e8400e29b41d4a716446655440000').subarray(0, 14)),
      '550e8400-e29b-41d4-a716-446655440000',
    )
    assert.equal(formatMariadbUuid(Buffer.alloc(0)), '00000000-0000-0000-0000-000000000000')
  })

  it('formats INET4 and INET6 as MariaDB prints them', () => {
    assert.equal(formatInet4(hex('0a')), '10.0.0.0')
    assert.equal(formatInet4(hex('ffffffff')), '255.255.255.255')
    assert.equal(formatInet6(Buffer.alloc(0)), '::')
    assert.equal(formatInet6(hex('00000000000000000000000000000001')), '::1')
    assert.equal(formatInet6(hex('20010db8000000000000000000000001')), '2001:db8::1')
    assert.equal(formatInet6(hex('00000000000000000000ffffc0a80001')), '::ffff:192.168.0.1')
    assert.equal(formatInet6(hex('20010db8000100000001000000000001')), '2001:db8:1:0:1::1')
    assert.equal(formatInet6(hex('20010db80000000100000000000000')), '2001:db8:0:1::')
    assert.equal(formatInet6(hex('fe800000000000000202b3fffe1e8329')), 'fe80::202:b3ff:fe1e:8329')
    // Checked with CAST(x'...' AS INET6) on MariaDB 10.11.
    assert.equal(formatInet6(hex('00000000000000000000000001020304')), '::1.2.3.4')
    assert.equal(formatInet6(hex('00000000000000000000000000010000')), '::0.1.0.0')
    assert.equal(formatInet6(hex('00000000000000000000000000000002')), '::2')
    assert.equal(formatInet6(hex('0000000000000000000000000000ffff')), '::ffff')
    assert.equal(formatInet6(hex('00000000000000000000ffff00000000')), '::ffff:0.0.0.0')
    assert.equal(formatInet6(hex('00000000000000000000000100000000')), '::1:0:0')
    assert.equal(formatInet6(hex('0001')), '1::')
    assert.equal(formatInet6(hex('20010db8000000000001000000000001')), '2001:db8::1:0:0:1')
    assert.equal(formatInet6(hex('20010db8000000010000000100000001')), '2001:db8::1:0:1:0:1')
    assert.equal(formatInet6(hex('20010db8000100010001000100010000')), '2001:db8:1:1:1:1:1::')
    assert.equal(formatInet6(hex('00010002000300040005000600070008')), '1:2:3:4:5:6:7:8')
    assert.equal(formatInet6(hex('00000001000100010001000100010001')), '::1:1:1:1:1:1:1')
  })

  it('the recorded MariaDB UUID/INET columns arrive as BINARY with zero bytes stripped', () => {
    const data = readFileSync(
      new URL('../../../../fixtures/binlog/mariadb/json-geometry-uuid.bin', import.meta.url),
    )
    const inserts = [...readBinlogFile(data)].flatMap((e) => (e.kind === 'rows' ? e.rows : []))
    const lengths = inserts.map(({ after }) =>
      [5, 6, 7].map((i) => (Buffer.isBuffer(after?.[i]) ? after[i].length : null)),
    )
    // 550e…440000 loses two bytes; the all-zero UUID and '::' lose all; '10.0.0.0' keeps one.
    assert.deepEqual(lengths, [
      [14, 16, 1],
      [0, 0, 0],
      [null, null, null],
      [16, 16, 4],
    ])
  })
})
