import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../../../common/errors.ts'
import { ByteReader } from '../../../../../connectors/mysql/protocol/byte-reader.ts'
import { decodeTableMap } from '../../../../../connectors/mysql/protocol/table-map.ts'
import { hex, tableMapBody, u16, u32, u8 } from './builders.ts'

const layout = { tableIdSize: 6, mariadb: true }

function decode(body: Buffer, options = layout) {
  return decodeTableMap(new ByteReader(body), options)
}

describe('decodeTableMap', () => {
  it('reads id, names, types, per-type metadata and nullability', () => {
    const map = decode(
      tableMapBody(0x0102030405, 'db', 'tbl', [
        { type: 3, nullable: false },
        { type: 15, meta: u16(1200) },
        { type: 254, meta: hex('fe28') },
        { type: 254, meta: hex('ee90') },
        { type: 254, meta: hex('f702') },
        { type: 254, meta: hex('f808') },
        { type: 246, meta: hex('411e') },
        { type: 18, meta: u8(6) },
        { type: 16, meta: hex('0108') },
        { type: 252, meta: u8(3) },
        { type: 5, meta: u8(8) },
        { type: 245, meta: u8(4) },
      ]),
    )
    assert.equal(map.tableId, 0x0102030405)
    assert.equal(map.database, 'db')
    assert.equal(map.table, 'tbl')
    assert.equal(map.primaryKey, null)
    const c = map.columns
    assert.deepEqual(
      c.map((x) => x.typeName),
      [
        'LONG',
        'VARCHAR',
        'STRING',
        'STRING',
        'ENUM',
        'SET',
        'NEWDECIMAL',
        'DATETIME2',
        'BIT',
        'BLOB',
        'DOUBLE',
        'JSON',
      ],
    )
    assert.deepEqual(
      c.map((x) => x.nullable),
      [false, true, true, true, true, true, true, true, true, true, true, true],
    )
    assert.equal(c[1]?.maxLength, 1200)
    assert.equal(c[2]?.maxLength, 40)
    // CHAR(100) in utf8mb4: 400 bytes, two length bits hidden in the real-type byte.
    assert.deepEqual([c[3]?.realType, c[3]?.maxLength], [254, 400])
    assert.deepEqual([c[4]?.realType, c[4]?.lengthBytes], [247, 2])
    assert.deepEqual([c[5]?.realType, c[5]?.lengthBytes], [248, 8])
    assert.deepEqual([c[6]?.precision, c[6]?.scale], [65, 30])
    assert.equal(c[7]?.fsp, 6)
    assert.equal(c[8]?.bits, 65)
    assert.equal(c[9]?.lengthBytes, 3)
    assert.equal(c[10]?.lengthBytes, 8)
    assert.equal(c[11]?.lengthBytes, 4)
    for (const column of c) {
      assert.deepEqual(
        [column.name, column.unsigned, column.collation, column.enumValues, column.visible],
        [null, null, null, null, null],
      )
    }
  })

  it('reads a 4-byte table id when the post-header says 6 bytes', () => {
    const body = tableMapBody(7, 'd', 't', [{ type: 1 }]).subarray(2)
    body.writeUInt32LE(7, 0)
    const map = decode(body, { tableIdSize: 4, mariadb: false })
    assert.equal(map.tableId, 7)
    assert.equal(map.columns.length, 1)
  })

  it('refuses column types it cannot read rather than guess their metadata size', () => {
    assert.throws(
      () => decode(tableMapBody(1, 'd', 't', [{ type: 20 }])),
      (error: unknown) =>
        isCdcError(error) &&
        error.code === 'CDC_DECODE_UNSUPPORTED' &&
        error.message.includes('TYPED_ARRAY'),
    )
  })

  it('fails when the metadata block has bytes no column claims', () => {
    const body = tableMapBody(1, 'd', 't', [{ type: 3, meta: u8(0) }])
    assert.throws(
      () => decode(body),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_INVALID',
    )
  })

  it('fails with CDC_DECODE_TRUNCATED when the body ends early', () => {
    const body = tableMapBody(1, 'db', 'tbl', [{ type: 3 }, { type: 15, meta: u16(10) }])
    assert.throws(
      () => decode(body.subarray(0, body.length - 3)),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_TRUNCATED',
    )
    assert.throws(
      () => decode(Buffer.concat([u32(1), u16(1)])),
      (error: unknown) => isCdcError(error),
    )
  })
})
