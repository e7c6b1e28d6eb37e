import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { deflateSync } from 'node:zlib'
import { isCdcError } from '../../../../../common/errors.ts'
import { ByteReader } from '../../../../../connectors/mysql/protocol/byte-reader.ts'
import { decodeRowsEvent } from '../../../../../connectors/mysql/protocol/rows-event.ts'
import type { TableMap } from '../../../../../connectors/mysql/protocol/table-map.ts'
import { decodeTableMap } from '../../../../../connectors/mysql/protocol/table-map.ts'
import {
  hex,
  image,
  lenencBytes,
  msbBitmap,
  rowsBody,
  tableMapBody,
  tlv,
  u16,
  u32,
  u8,
} from './builders.ts'

// id INT UNSIGNED NOT NULL, name VARCHAR(20), big BIGINT UNSIGNED
const table: TableMap = decodeTableMap(
  new ByteReader(
    tableMapBody(
      42,
      'db',
      'people',
      [{ type: 3, nullable: false }, { type: 15, meta: u16(80) }, { type: 8 }],
      Buffer.concat([
        tlv(1, msbBitmap([true, true])),
        tlv(4, Buffer.concat(['id', 'name', 'big'].map((n) => lenencBytes(n)))),
      ]),
    ),
  ),
  { tableIdSize: 6, mariadb: true },
)

const layout = { tableIdSize: 6, tableMap: (id: number) => (id === 42 ? table : undefined) }
const maxU64 = hex('ffffffffffffffff')

function decode(type: number, body: Buffer) {
  return decodeRowsEvent(type, new ByteReader(body), layout)
}

const row1 = image([false, false, false], [u32(1), hex('03 416461'), maxU64])
const row2 = image([false, true, true], [u32(4294967295)])

describe('decodeRowsEvent', () => {
  it('WRITE_ROWS v1: several rows, NULLs, unsigned 64-bit max', () => {
    const event = decode(23, rowsBody(42, 3, Buffer.concat([row1, row2])))
    assert.equal(event.action, 'insert')
    assert.equal(event.version, 1)
    assert.equal(event.table, table)
    assert.equal(event.flags, 1)
    assert.deepEqual(event.rows, [
      { before: null, after: [1, Buffer.from('Ada'), 18446744073709551615n] },
      { before: null, after: [4294967295, null, null] },
    ])
  })

  it('sizes the NULL bitmap by the present columns and leaves absent ones undefined', () => {
    const body = rowsBody(42, 3, image([true], []), { present: [false, true, false] })
    const event = decode(25, body)
    assert.equal(event.action, 'delete')
    assert.deepEqual(event.columnsPresent, [false, true, false])
    assert.deepEqual(event.rows, [{ before: [undefined, null, undefined], after: null }])
  })

  it('UPDATE_ROWS v1: before and after images with their own bitmaps', () => {
    const before = image([false], [u32(1)])
    const after = image([false, false], [hex('02 4869'), hex('0100000000000000')])
    const body = rowsBody(42, 3, Buffer.concat([before, after]), {
      present: [true, false, false],
      presentAfter: [false, true, true],
    })
    const event = decode(24, body)
    assert.deepEqual(event.columnsPresentAfter, [false, true, true])
    assert.deepEqual(event.rows, [
      { before: [1, undefined, undefined], after: [undefined, Buffer.from('Hi'), 1n] },
    ])
  })

  it('v2 rows: the extra data block (its length counts itself) and partition ids', () => {
    const write = decode(30, rowsBody(42, 3, row1, { extra: Buffer.concat([u8(1), u16(7)]) }))
    assert.equal(write.version, 2)
    assert.equal(write.extraData?.partitionId, 7)
    assert.equal(write.extraData.sourcePartitionId, null)
    const update = decode(
      31,
      rowsBody(42, 3, Buffer.concat([row1, row1]), {
        extra: Buffer.concat([u8(1), u16(2), u16(3)]),
        presentAfter: [true, true, true],
      }),
    )
    assert.deepEqual([update.extraData?.partitionId, update.extraData?.sourcePartitionId], [2, 3])
    const ndb = decode(32, rowsBody(42, 3, row1, { extra: hex('00 04 00 abcd') }))
    assert.equal(ndb.action, 'delete')
    assert.deepEqual(ndb.extraData?.raw, hex('00 04 00 abcd'))
    const empty = decode(30, rowsBody(42, 3, row1, { extra: Buffer.alloc(0) }))
    assert.equal(empty.extraData?.raw.length, 0)
  })

  it('rejects a v2 extra data length below 2 and unknown extra info types', () => {
    const invalid = (error: unknown): boolean =>
      isCdcError(error) && error.code === 'CDC_DECODE_INVALID'
    const short = rowsBody(42, 3, row1, { extra: Buffer.alloc(0) })
    short.writeUInt16LE(1, 8)
    assert.throws(() => decode(30, short), invalid)
    assert.throws(() => decode(30, rowsBody(42, 3, row1, { extra: hex('09 00') })), invalid)
  })

  it('MariaDB compressed rows: the row data after the bitmaps is inflated', () => {
    const data = Buffer.concat([row1, row2])
    const compressed = Buffer.concat([hex('81'), u8(data.length), deflateSync(data)])
    const event = decode(166, rowsBody(42, 3, compressed))
    assert.equal(event.compressed, true)
    assert.equal(event.version, 1)
    assert.deepEqual(event.rows.length, 2)
    assert.deepEqual(event.rows[1]?.after, [4294967295, null, null])
    const v2 = decode(171, rowsBody(42, 3, compressed, { extra: Buffer.alloc(0) }))
    assert.deepEqual([v2.action, v2.version, v2.compressed], ['delete', 2, true])
  })

  it('fails when no TABLE_MAP came before, naming the table id', () => {
    assert.throws(
      () => decode(23, rowsBody(41, 3, row1)),
      (error: unknown) =>
        isCdcError(error) &&
        error.code === 'CDC_DECODE_INVALID' &&
        error.message.includes('table id 41'),
    )
  })

  it('fails when the column count differs from the table map', () => {
    assert.throws(
      () => decode(23, rowsBody(42, 4, row1)),
      (error: unknown) =>
        isCdcError(error) &&
        error.code === 'CDC_DECODE_INVALID' &&
        error.message.includes('db.people'),
    )
  })

  it('names the column and table when a value cannot be read', () => {
    const cut = Buffer.concat([image([false, false, false], [u32(1), hex('09 41')])])
    assert.throws(
      () => decode(23, rowsBody(42, 3, cut)),
      (error: unknown) =>
        isCdcError(error) &&
        error.code === 'CDC_DECODE_TRUNCATED' &&
        error.message.startsWith('column name (VARCHAR) of db.people'),
    )
  })
})
