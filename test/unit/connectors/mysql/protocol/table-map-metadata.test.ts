import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../../../common/errors.ts'
import { ByteReader } from '../../../../../connectors/mysql/protocol/byte-reader.ts'
import { decodeTableMap } from '../../../../../connectors/mysql/protocol/table-map.ts'
import type { ColumnDef } from './builders.ts'
import { hex, lenenc, lenencBytes, msbBitmap, tableMapBody, tlv, u16, u8 } from './builders.ts'

// id INT, y YEAR, name VARCHAR(10), e ENUM, g GEOMETRY, price DECIMAL(10,2) UNSIGNED, s SET, b BLOB
const columns: ColumnDef[] = [
  { type: 3, nullable: false },
  { type: 13 },
  { type: 15, meta: u16(40) },
  { type: 254, meta: hex('f701') },
  { type: 255, meta: u8(4) },
  { type: 246, meta: hex('0a02') },
  { type: 254, meta: hex('f801') },
  { type: 252, meta: u8(2) },
]

const literals = (...values: string[]): Buffer =>
  Buffer.concat([lenenc(values.length), ...values.map((v) => lenencBytes(v))])

function decode(optional: Buffer, mariadb = true) {
  return decodeTableMap(new ByteReader(tableMapBody(9, 'db', 't', columns, optional)), {
    tableIdSize: 6,
    mariadb,
  })
}

function invalid(error: unknown): boolean {
  return isCdcError(error) && error.code === 'CDC_DECODE_INVALID'
}

describe('table map optional metadata', () => {
  it('reads every FULL field MariaDB 10.11 writes, in its order', () => {
    const map = decode(
      Buffer.concat([
        // numeric columns: id, y, price — MSB first; YEAR takes a bit (MariaDB sets it)
        tlv(1, msbBitmap([false, true, true])),
        // character columns: name, g (MariaDB counts GEOMETRY), b — default 45, g → 63, b → 63
        tlv(2, Buffer.concat([lenenc(45), lenenc(1), lenenc(63), lenenc(2), lenenc(63)])),
        tlv(7, lenenc(1)),
        tlv(
          4,
          Buffer.concat(
            ['id', 'y', 'name', 'e', 'g', 'price', 's', 'b'].map((n) => lenencBytes(n)),
          ),
        ),
        tlv(10, Buffer.concat([lenenc(8), lenenc(1), lenenc(33)])),
        tlv(5, literals('x', 'y')),
        tlv(6, literals('a', 'b,c', 'ü')),
        tlv(8, lenenc(0)),
      ]),
    )
    const byName = new Map(map.columns.map((c) => [c.name, c]))
    assert.deepEqual(
      map.columns.map((c) => c.name),
      ['id', 'y', 'name', 'e', 'g', 'price', 's', 'b'],
    )
    assert.deepEqual(
      map.columns.map((c) => c.unsigned),
      [false, true, null, null, null, true, null, null],
    )
    assert.deepEqual(
      map.columns.map((c) => c.collation),
      [null, null, 45, 8, 63, null, 33, 63],
    )
    assert.equal(byName.get('g')?.geometryType, 1)
    assert.deepEqual(
      byName.get('e')?.enumValues?.map((v) => v.toString()),
      ['a', 'b,c', 'ü'],
    )
    assert.deepEqual(
      byName.get('s')?.setValues?.map((v) => v.toString()),
      ['x', 'y'],
    )
    assert.deepEqual(map.primaryKey, [{ column: 0, prefix: 0 }])
  })

  it('reads per-column charsets, prefix keys, visibility and vector sizes (MySQL 8 layout)', () => {
    const map = decode(
      Buffer.concat([
        // MySQL does not count GEOMETRY as a character column
        tlv(3, Buffer.concat([lenenc(255), lenenc(63)])),
        tlv(11, Buffer.concat([lenenc(255), lenenc(8)])),
        tlv(9, Buffer.concat([lenenc(2), lenenc(5), lenenc(0), lenenc(0)])),
        tlv(12, msbBitmap([true, true, true, true, true, true, false, true])),
      ]),
      false,
    )
    assert.deepEqual(
      map.columns.map((c) => c.collation),
      [null, null, 255, 255, null, null, 8, 63],
    )
    assert.deepEqual(map.primaryKey, [
      { column: 2, prefix: 5 },
      { column: 0, prefix: 0 },
    ])
    assert.deepEqual(
      map.columns.map((c) => c.visible),
      [true, true, true, true, true, true, false, true],
    )
  })

  it('keeps optional metadata of unknown types instead of dropping it', () => {
    const map = decode(tlv(99, hex('0102')))
    assert.deepEqual(map.unknownMetadata, [{ type: 99, value: hex('0102') }])
  })

  it('fails when a field has more or fewer entries than the columns it describes', () => {
    assert.throws(() => decode(tlv(3, Buffer.concat([lenenc(45)]))), invalid)
    assert.throws(() => decode(tlv(4, lenencBytes('only'))), invalid)
    assert.throws(() => decode(tlv(6, Buffer.concat([literals('a'), literals('b')]))), invalid)
    assert.throws(() => decode(tlv(2, Buffer.concat([lenenc(45), lenenc(9), lenenc(8)]))), invalid)
  })

  it('fails when a bitmap field has extra bytes or a key names a missing column', () => {
    assert.throws(() => decode(tlv(1, hex('0000'))), invalid)
    assert.throws(() => decode(tlv(8, lenenc(8))), invalid)
  })

  it('fails with CDC_DECODE_TRUNCATED when a field runs past the event', () => {
    const cut = Buffer.concat([u8(4), lenenc(50), lenencBytes('id')])
    assert.throws(
      () => decode(cut),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_TRUNCATED',
    )
  })
})
