import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../../../common/errors.ts'
import {
  BINLOG_MAGIC,
  readBinlogFile,
  splitBinlogFile,
} from '../../../../../connectors/mysql/protocol/binlog-file.ts'
import { event, formatDescription, hex, u64 } from './builders.ts'

const file = (...events: Buffer[]) => Buffer.concat([BINLOG_MAGIC, ...events])

function code(expected: string, ...fragments: string[]) {
  return (error: unknown): boolean =>
    isCdcError(error) &&
    error.code === expected &&
    fragments.every((f) => error.message.includes(f))
}

describe('binlog files', () => {
  it('splits events by their declared sizes and decodes them with file offsets as positions', () => {
    const fde = formatDescription()
    const xid = event(16, u64(3n), { logPos: 999 })
    const data = file(fde, xid)
    assert.deepEqual(
      [...splitBinlogFile(data)].map((e) => [e.position, e.bytes.length]),
      [
        [4, fde.length],
        [4 + fde.length, xid.length],
      ],
    )
    const events = [...readBinlogFile(data, { file: 'mysql-bin.000001' })]
    assert.deepEqual(
      events.map((e) => [e.kind, e.file, e.position]),
      [
        ['formatDescription', 'mysql-bin.000001', 4],
        ['xid', 'mysql-bin.000001', 4 + fde.length],
      ],
    )
  })

  it('reads an empty file (just the magic)', () => {
    assert.deepEqual([...readBinlogFile(BINLOG_MAGIC)], [])
  })

  it('refuses data without the binlog magic', () => {
    assert.throws(
      () => [...splitBinlogFile(hex('fe62696f'), 'x.bin')],
      code('CDC_DECODE_INVALID', 'x.bin', 'magic'),
    )
    assert.throws(() => [...splitBinlogFile(hex('fe62'))], code('CDC_DECODE_INVALID'))
  })

  it('fails with CDC_DECODE_TRUNCATED when the last event is cut', () => {
    const data = file(formatDescription(), event(16, u64(3n)))
    assert.throws(
      () => [...splitBinlogFile(data.subarray(0, data.length - 2), 'f')],
      code('CDC_DECODE_TRUNCATED', 'runs past the end'),
    )
    assert.throws(
      () => [...splitBinlogFile(data.subarray(0, 4 + 10), 'f')],
      code('CDC_DECODE_TRUNCATED', 'f:4'),
    )
  })

  it('refuses an event size smaller than a header, which would never advance', () => {
    const bad = Buffer.from(event(16, u64(3n)))
    bad.writeUInt32LE(3, 9)
    assert.throws(
      () => [...splitBinlogFile(file(bad), 'f')],
      code('CDC_DECODE_INVALID', 'declares 3 bytes'),
    )
  })
})
