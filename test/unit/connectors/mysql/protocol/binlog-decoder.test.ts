import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { deflateSync, zstdCompressSync } from 'node:zlib'
import { isCdcError } from '../../../../../common/errors.ts'
import { BinlogDecoder } from '../../../../../connectors/mysql/protocol/binlog-decoder.ts'
import {
  readBinlogFile,
  splitBinlogFile,
} from '../../../../../connectors/mysql/protocol/binlog-file.ts'
import { ByteReader } from '../../../../../connectors/mysql/protocol/byte-reader.ts'
import type { BinlogEvent } from '../../../../../connectors/mysql/protocol/events.ts'
import type { EventOptions } from './builders.ts'
import {
  event,
  formatDescription,
  hex,
  image,
  lenenc,
  postHeaderLengths,
  refreshChecksum,
  rowsBody,
  tableMapBody,
  u16,
  u32,
  u64,
  u8,
} from './builders.ts'

const rotate = (file: string, options: EventOptions = {}) =>
  event(4, Buffer.concat([u64(4n), Buffer.from(file)]), { timestamp: 0, flags: 0x20, ...options })
const gtid = (seq: bigint, logPos: number) =>
  event(162, Buffer.concat([u64(seq), u32(0), u8(0x0c), Buffer.alloc(6)]), { logPos })
const tableMap = (logPos: number) =>
  event(
    19,
    tableMapBody(70, 'db', 't', [
      { type: 3, nullable: false },
      { type: 15, meta: u16(20) },
    ]),
    { logPos },
  )
const writeRows = (logPos: number, options: EventOptions = {}) =>
  event(23, rowsBody(70, 2, image([false, false], [u32(5), hex('02 6f6b')])), {
    logPos,
    ...options,
  })
const xid = (logPos: number) => event(16, u64(99n), { logPos })

function code(expected: string, ...fragments: string[]) {
  return (error: unknown): boolean =>
    isCdcError(error) &&
    error.code === expected &&
    fragments.every((f) => error.message.includes(f))
}

function packet(e: Buffer): Buffer {
  return Buffer.concat([u8(0), e])
}

describe('BinlogDecoder', () => {
  it('decodes a dump stream one packet at a time: artificial ROTATE, FDE, a transaction', () => {
    const decoder = new BinlogDecoder()
    const first = decoder.decodePacket(packet(rotate('mysql-bin.000007')))
    assert.equal(first.kind, 'rotate')
    assert.deepEqual([first.position, first.file, decoder.file], [0, '', 'mysql-bin.000007'])
    assert.equal(decoder.decodePacket(packet(formatDescription())).kind, 'formatDescription')
    const bytes = [gtid(1n, 1042), tableMap(1100), writeRows(1160), xid(1191)]
    const events = bytes.map((e) => decoder.decodePacket(packet(e)))
    assert.deepEqual(
      events.map((e) => e.kind),
      ['mariadbGtid', 'tableMap', 'rows', 'xid'],
    )
    // The start of each event: log_pos (its end) minus its size.
    assert.deepEqual(
      events.map((e) => e.position),
      bytes.map((b) => b.readUInt32LE(13) - b.length),
    )
    assert.ok(events.every((e) => e.file === 'mysql-bin.000007'))
    const rows = events[2]
    assert.equal(rows?.kind, 'rows')
    assert.deepEqual(rows.rows, [{ before: null, after: [5, Buffer.from('ok')] }])
    assert.equal(decoder.tableMap(70)?.table, 't')
  })

  it('reads the opening ROTATE without a checksum when told the connection asked for none', () => {
    const decoder = new BinlogDecoder({ checksumBeforeFormatDescription: 'none' })
    const first = decoder.decode(rotate('f.000001', { checksum: false }))
    assert.equal(first.kind, 'rotate')
    assert.equal(first.nextFile, 'f.000001')
    const detecting = new BinlogDecoder()
    const detected = detecting.decode(rotate('f.000001', { checksum: false }))
    assert.equal(detected.kind, 'rotate')
    assert.equal(detected.nextFile, 'f.000001')
  })

  it('uses the FDE checksum setting: events without CRC when it says NONE', () => {
    const decoder = new BinlogDecoder({ file: 'f' })
    decoder.decode(formatDescription({ checksum: 'none' }))
    const e = decoder.decode(event(16, u64(7n), { checksum: false }))
    assert.equal(e.kind, 'xid')
    assert.equal(e.xid, 7n)
  })

  it('refuses packets that are not events (EOF, ERR)', () => {
    const decoder = new BinlogDecoder()
    assert.throws(() => decoder.decodePacket(hex('fe00000200')), code('CDC_DECODE_INVALID', '0xfe'))
    assert.throws(() => decoder.decodePacket(Buffer.alloc(0)), code('CDC_DECODE_INVALID'))
  })

  it('fails with CDC_DECODE_CHECKSUM naming the event type and position', () => {
    const decoder = new BinlogDecoder({ file: 'mysql-bin.000002' })
    decoder.decode(formatDescription())
    decoder.decode(tableMap(500))
    const bad = Buffer.from(writeRows(2000))
    bad.writeUInt8(bad.readUInt8(30) ^ 1, 30)
    const start = 2000 - bad.length
    assert.throws(
      () => decoder.decode(bad),
      code('CDC_DECODE_CHECKSUM', `WRITE_ROWS_EVENT_V1 (23) at mysql-bin.000002:${start}`),
    )
    assert.throws(() => decoder.decode(bad, 77), code('CDC_DECODE_CHECKSUM', 'mysql-bin.000002:77'))
    const lenient = new BinlogDecoder({ verifyChecksums: false })
    lenient.decode(formatDescription())
    lenient.decode(tableMap(500))
    assert.equal(lenient.decode(bad).kind, 'rows')
  })

  it('verifies the FDE checksum itself, also while BINLOG_IN_USE is set', () => {
    const open = Buffer.from(formatDescription())
    open.writeUInt16LE(1, 17)
    assert.equal(new BinlogDecoder().decode(open).kind, 'formatDescription')
    const bad = Buffer.from(formatDescription())
    bad.writeUInt8(bad.readUInt8(25) ^ 1, 25)
    assert.throws(
      () => new BinlogDecoder().decode(bad),
      code('CDC_DECODE_CHECKSUM', 'FORMAT_DESCRIPTION_EVENT (15)'),
    )
  })

  it('fails with CDC_DECODE_UNKNOWN_MESSAGE on an unknown type, naming type, file and position', () => {
    const decoder = new BinlogDecoder({ file: 'mysql-bin.000009' })
    decoder.decode(formatDescription())
    assert.throws(
      () => decoder.decode(event(99, hex('0102'), { logPos: 300 })),
      code('CDC_DECODE_UNKNOWN_MESSAGE', 'event type 99', 'mysql-bin.000009:275'),
    )
    assert.throws(
      () => decoder.decode(event(0, hex('00'))),
      code('CDC_DECODE_UNKNOWN_MESSAGE', 'UNKNOWN_EVENT (0)'),
    )
  })

  it('returns unknown types flagged IGNORABLE as ignorable events', () => {
    const decoder = new BinlogDecoder()
    decoder.decode(formatDescription())
    const e = decoder.decode(event(120, hex('abcd'), { flags: 0x80 }))
    assert.equal(e.kind, 'ignorable')
    assert.deepEqual([e.typeName, e.body], [null, hex('abcd')])
  })

  it('refuses encrypted binlogs, partial JSON updates, tagged GTIDs and pre-GA rows', () => {
    const decoder = new BinlogDecoder({ file: 'f' })
    decoder.decode(formatDescription())
    for (const [type, hint] of [
      [164, 'encrypt_binlog'],
      [39, 'binlog_row_value_options'],
      [42, 'tagged GTIDs'],
      [20, 'pre-GA'],
      [172, 'MariaDB 12.3'],
    ] as const) {
      assert.throws(
        () => decoder.decode(event(type, hex('00'))),
        code('CDC_DECODE_UNSUPPORTED', hint),
      )
    }
  })

  it('returns known but uninteresting events (INTVAR, USER_VAR, ...) with their body', () => {
    const decoder = new BinlogDecoder()
    decoder.decode(formatDescription())
    const intvar = decoder.decode(event(5, Buffer.concat([u8(2), u64(10n)])))
    assert.equal(intvar.kind, 'other')
    assert.equal(intvar.typeName, 'INTVAR_EVENT')
    assert.equal(intvar.body.length, 9)
  })

  it('fails with CDC_DECODE_TRUNCATED on short events and on bodies that end early', () => {
    const decoder = new BinlogDecoder({ file: 'f' })
    decoder.decode(formatDescription())
    assert.throws(
      () => decoder.decode(hex('0102')),
      code('CDC_DECODE_TRUNCATED', 'fewer than its 19-byte header'),
    )
    const e = xid(100)
    assert.throws(
      () => decoder.decode(e.subarray(0, e.length - 1)),
      code('CDC_DECODE_TRUNCATED', 'XID_EVENT (16) at f:69 declares 31 bytes'),
    )
    assert.throws(
      () => decoder.decode(Buffer.concat([e, u8(0)])),
      code('CDC_DECODE_INVALID', 'declares 31 bytes'),
    )
    assert.throws(
      () => decoder.decode(event(16, u32(1), { logPos: 100 })),
      code('CDC_DECODE_TRUNCATED', 'XID_EVENT (16) at f:73'),
    )
  })

  it('forgets table maps at a new FORMAT_DESCRIPTION', () => {
    const decoder = new BinlogDecoder()
    decoder.decode(formatDescription())
    decoder.decode(tableMap(100))
    decoder.decode(formatDescription())
    assert.equal(decoder.tableMap(70), undefined)
    assert.throws(() => decoder.decode(writeRows(200)), code('CDC_DECODE_INVALID', 'table id 70'))
  })

  it('decodes heartbeats after the FDE (CRC32 included)', () => {
    const decoder = new BinlogDecoder({ file: 'mysql-bin.000001' })
    decoder.decode(formatDescription())
    const beat = decoder.decode(
      event(27, Buffer.from('mysql-bin.000001'), { timestamp: 0, logPos: 1966 }),
    )
    assert.equal(beat.kind, 'heartbeat')
    assert.deepEqual([beat.logFile, beat.logPosition], ['mysql-bin.000001', 1966n])
  })

  it('decodes a MySQL 8 TRANSACTION_PAYLOAD: inner events without checksums, at the outer position', () => {
    const inner = (type: number, body: Buffer) => event(type, body, { checksum: false, logPos: 0 })
    const begin = Buffer.concat([
      u32(1),
      u32(0),
      u8(0),
      u16(0),
      u16(0),
      u8(0),
      Buffer.from('BEGIN'),
    ])
    const events = Buffer.concat([
      inner(2, begin),
      inner(19, tableMapBody(71, 'db', 'p', [{ type: 8 }])),
      inner(30, rowsBody(71, 1, image([false], [u64(2n ** 63n)]), { extra: Buffer.alloc(0) })),
      inner(16, u64(5n)),
    ])
    const compressed = zstdCompressSync(events)
    const field = (type: number, value: number) =>
      Buffer.concat([lenenc(type), lenenc(lenenc(value).length), lenenc(value)])
    const body = Buffer.concat([
      field(2, 0),
      field(3, events.length),
      field(1, compressed.length),
      lenenc(0),
      compressed,
    ])
    const mysql = postHeaderLengths()
    const decoder = new BinlogDecoder({ file: 'binlog.000004' })
    decoder.decode(formatDescription({ serverVersion: '8.0.28', postHeaders: mysql.slice(0, 41) }))
    const payload = decoder.decode(event(40, body, { logPos: 1236 }))
    assert.equal(payload.kind, 'transactionPayload')
    assert.deepEqual(
      payload.events.map((e) => e.kind),
      ['query', 'tableMap', 'rows', 'xid'],
    )
    assert.ok(payload.events.every((e) => e.position === payload.position && e.header.logPos === 0))
    const rows = payload.events[2]
    assert.equal(rows?.kind, 'rows')
    assert.deepEqual(rows.rows[0]?.after, [-(2n ** 63n)])
    assert.equal(decoder.tableMap(71)?.table, 'p')
  })

  it('names the inner event when a payload event cannot be decoded', () => {
    const broken = event(16, u32(1), { checksum: false })
    const compressed = zstdCompressSync(broken)
    const field = (type: number, value: number) =>
      Buffer.concat([lenenc(type), lenenc(lenenc(value).length), lenenc(value)])
    const body = Buffer.concat([field(2, 0), field(1, compressed.length), lenenc(0), compressed])
    const decoder = new BinlogDecoder({ file: 'b' })
    decoder.decode(formatDescription({ serverVersion: '8.0.28' }))
    assert.throws(
      () => decoder.decode(event(40, body, { logPos: 400 })),
      code(
        'CDC_DECODE_TRUNCATED',
        'TRANSACTION_PAYLOAD_EVENT (40) at b:',
        'XID_EVENT (16) at b:',
        'inside a TRANSACTION_PAYLOAD',
      ),
    )
  })
})

describe('BinlogDecoder on MariaDB compressed events (log_bin_compress)', () => {
  // The server here cannot turn log_bin_compress on (a global setting shared by everyone), so
  // the compressed forms are built from real recorded events the way MariaDB writes them.
  const fixture = readFileSync(
    new URL('../../../../fixtures/binlog/mariadb/dml.bin', import.meta.url),
  )
  const raw = [...splitBinlogFile(fixture)]

  function compressTail(e: Buffer, type: number, keep: number): Buffer {
    const body = e.subarray(19, e.length - 4)
    const data = body.subarray(keep)
    const block = Buffer.concat([hex('81'), u8(data.length), deflateSync(data)])
    const out = Buffer.concat([e.subarray(0, 19), body.subarray(0, keep), block, u32(0)])
    out.writeUInt8(type, 4)
    out.writeUInt32LE(out.length, 9)
    return refreshChecksum(out)
  }

  function rowsHeaderLength(e: Buffer): number {
    const reader = new ByteReader(e, 19 + 8)
    const count = reader.lenenc()
    const bitmaps = e.readUInt8(4) === 24 ? 2 : 1
    return 8 + lenenc(count).length + bitmaps * Math.ceil(count / 8)
  }

  it('decodes WRITE/UPDATE/DELETE_ROWS_COMPRESSED_V1 and QUERY_COMPRESSED to what the plain events hold', () => {
    const plain = [...readBinlogFile(fixture)]
    const compressed = Buffer.concat([
      fixture.subarray(0, 4),
      ...raw.map(({ bytes }) => {
        const type = bytes.readUInt8(4)
        if (type === 23 || type === 24 || type === 25)
          return compressTail(bytes, type + 143, rowsHeaderLength(bytes))
        if (type !== 2) return bytes
        const schemaLength = bytes.readUInt8(19 + 8)
        const varsLength = bytes.readUInt16LE(19 + 11)
        return compressTail(bytes, 165, 13 + varsLength + schemaLength + 1)
      }),
    ])
    const decoded = [...readBinlogFile(compressed)]
    const types = new Set(decoded.map((e) => e.header.type))
    assert.ok(
      [165, 166, 167, 168].every((t) => types.has(t)),
      [...types].join(','),
    )
    const strip = (events: BinlogEvent[]) =>
      events.map((e) => {
        if (e.kind === 'rows') return { rows: e.rows, table: e.table.table, action: e.action }
        if (e.kind === 'query') return { query: e.query, schema: e.schema, vars: e.statusVars }
        return e.kind
      })
    assert.deepEqual(strip(decoded), strip(plain))
    assert.ok(decoded.some((e) => e.kind === 'rows' && e.compressed))
    assert.ok(decoded.some((e) => e.kind === 'query' && e.compressed))
  })
})
