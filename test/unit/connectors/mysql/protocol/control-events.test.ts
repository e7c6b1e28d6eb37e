import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../../../common/errors.ts'
import { ByteReader } from '../../../../../connectors/mysql/protocol/byte-reader.ts'
import {
  decodeAnnotateRows,
  decodeBinlogCheckpoint,
  decodeHeartbeat,
  decodeHeartbeatV2,
  decodeIncident,
  decodeRotate,
  decodeRowsQuery,
  decodeXaPrepare,
  decodeXid,
} from '../../../../../connectors/mysql/protocol/control-events.ts'
import { hex, lenenc, lenencBytes, u16, u32, u64, u8 } from './builders.ts'

const reader = (b: Buffer) => new ByteReader(b)

describe('control events', () => {
  it('ROTATE: a 64-bit position beyond 4 GiB and the next file name', () => {
    const event = decodeRotate(
      reader(Buffer.concat([u64(5_000_000_000n), Buffer.from('mysql-bin.000002')])),
    )
    assert.deepEqual(event, {
      kind: 'rotate',
      nextPosition: 5_000_000_000n,
      nextFile: 'mysql-bin.000002',
    })
  })

  it('XID: the 8-byte id and nothing else', () => {
    assert.deepEqual(decodeXid(reader(u64(2n ** 64n - 1n))), { kind: 'xid', xid: 2n ** 64n - 1n })
    assert.throws(
      () => decodeXid(reader(Buffer.concat([u64(1n), u8(0)]))),
      (e: unknown) => isCdcError(e) && e.code === 'CDC_DECODE_INVALID',
    )
    assert.throws(
      () => decodeXid(reader(u32(1))),
      (e: unknown) => isCdcError(e) && e.code === 'CDC_DECODE_TRUNCATED',
    )
  })

  it('HEARTBEAT: the file name, and the position from the header', () => {
    assert.deepEqual(decodeHeartbeat(reader(Buffer.from('mysql-bin.000001')), 1966), {
      kind: 'heartbeat',
      version: 1,
      logFile: 'mysql-bin.000001',
      logPosition: 1966n,
    })
  })

  it('HEARTBEAT_V2: TLV file name and length-encoded position, unknown fields passed over', () => {
    const position = lenenc(5_000_000_000n)
    const body = Buffer.concat([
      lenenc(1),
      lenencBytes('binlog.000041'),
      lenenc(9),
      lenencBytes('zz'),
      lenenc(2),
      lenenc(position.length),
      position,
      lenenc(0),
    ])
    assert.deepEqual(decodeHeartbeatV2(reader(body)), {
      kind: 'heartbeat',
      version: 2,
      logFile: 'binlog.000041',
      logPosition: 5_000_000_000n,
    })
    assert.deepEqual(decodeHeartbeatV2(reader(hex('00'))), {
      kind: 'heartbeat',
      version: 2,
      logFile: '',
      logPosition: null,
    })
  })

  it('HEARTBEAT_V2: a position field whose length does not match its integer is an error', () => {
    const body = Buffer.concat([lenenc(2), lenenc(3), lenenc(7), hex('0000'), lenenc(0)])
    assert.throws(
      () => decodeHeartbeatV2(reader(body)),
      (e: unknown) => isCdcError(e) && e.code === 'CDC_DECODE_INVALID',
    )
  })

  it('ANNOTATE_ROWS and ROWS_QUERY: the statement text', () => {
    assert.deepEqual(decodeAnnotateRows(reader(Buffer.from('INSERT INTO t VALUES (1)'))), {
      kind: 'annotateRows',
      query: 'INSERT INTO t VALUES (1)',
    })
    assert.deepEqual(
      decodeRowsQuery(reader(Buffer.concat([u8(3), Buffer.from('DELETE FROM t')]))),
      {
        kind: 'rowsQuery',
        query: 'DELETE FROM t',
      },
    )
  })

  it('BINLOG_CHECKPOINT: the checkpoint file name', () => {
    assert.deepEqual(
      decodeBinlogCheckpoint(reader(Buffer.concat([u32(16), Buffer.from('mysql-bin.000001')]))),
      {
        kind: 'binlogCheckpoint',
        checkpointFile: 'mysql-bin.000001',
      },
    )
  })

  it('INCIDENT: the incident type and message', () => {
    assert.deepEqual(decodeIncident(reader(Buffer.concat([u16(1), u8(4), Buffer.from('LOST')]))), {
      kind: 'incident',
      incident: 1,
      message: 'LOST',
    })
  })

  it('XA_PREPARE: one-phase flag and the XID parts', () => {
    const body = Buffer.concat([u8(0), u32(1), u32(3), u32(1), Buffer.from('gtrb')])
    assert.deepEqual(decodeXaPrepare(reader(body)), {
      kind: 'xaPrepare',
      onePhase: false,
      formatId: 1,
      gtrid: Buffer.from('gtr'),
      bqual: Buffer.from('b'),
    })
  })
})
