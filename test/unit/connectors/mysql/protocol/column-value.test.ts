import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../../../common/errors.ts'
import { Decimal } from '../../../../../envelope/connect-schema.ts'
import { ByteReader } from '../../../../../connectors/mysql/protocol/byte-reader.ts'
import {
  ColumnType,
  columnTypeName,
} from '../../../../../connectors/mysql/protocol/column-types.ts'
import type { ColumnValue } from '../../../../../connectors/mysql/protocol/column-value.ts'
import { readColumnValue } from '../../../../../connectors/mysql/protocol/column-value.ts'
import type { ColumnInfo } from '../../../../../connectors/mysql/protocol/table-map.ts'
import { hex, u16, u24, u32 } from './builders.ts'
import { encodeDecimal, encodeJson } from './encoders.ts'

function column(type: number, fields: Partial<ColumnInfo> = {}): ColumnInfo {
  const realType = fields.realType ?? type
  return {
    type,
    realType,
    metadata: 0,
    maxLength: 0,
    lengthBytes: 0,
    precision: 0,
    scale: 0,
    fsp: 0,
    bits: 0,
    index: 0,
    typeName: columnTypeName(realType),
    nullable: true,
    name: 'c',
    unsigned: null,
    collation: null,
    enumValues: null,
    setValues: null,
    geometryType: null,
    visible: null,
    vectorDimensions: null,
    ...fields,
  }
}

function read(bytes: Buffer, info: ColumnInfo): ColumnValue {
  const reader = new ByteReader(bytes)
  const value = readColumnValue(reader, info)
  assert.ok(reader.atEnd(), `${info.typeName} consumed every byte`)
  return value
}

const signed = (type: number) => column(type, { unsigned: false })
const unsigned = (type: number) => column(type, { unsigned: true })

describe('readColumnValue', () => {
  it('integers at their signed and unsigned limits', () => {
    assert.equal(read(hex('80'), signed(ColumnType.TINY)), -128)
    assert.equal(read(hex('ff'), unsigned(ColumnType.TINY)), 255)
    assert.equal(read(hex('0080'), signed(ColumnType.SHORT)), -32768)
    assert.equal(read(hex('ffff'), unsigned(ColumnType.SHORT)), 65535)
    assert.equal(read(hex('000080'), signed(ColumnType.INT24)), -8388608)
    assert.equal(read(hex('ffffff'), unsigned(ColumnType.INT24)), 16777215)
    assert.equal(read(hex('00000080'), signed(ColumnType.LONG)), -2147483648)
    assert.equal(read(hex('ffffffff'), unsigned(ColumnType.LONG)), 4294967295)
    assert.equal(read(hex('0000000000000080'), signed(ColumnType.LONGLONG)), -9223372036854775808n)
    assert.equal(
      read(hex('ffffffffffffffff'), unsigned(ColumnType.LONGLONG)),
      18446744073709551615n,
    )
    assert.equal(read(hex('ffffffffffffffff'), signed(ColumnType.LONGLONG)), -1n)
  })

  it('decodes as signed when the table map carries no signedness', () => {
    assert.equal(read(hex('ff'), column(ColumnType.TINY)), -1)
    assert.equal(read(hex('ffffffffffffffff'), column(ColumnType.LONGLONG)), -1n)
  })

  it('FLOAT, DOUBLE, YEAR', () => {
    const f = Buffer.alloc(4)
    f.writeFloatLE(3.14)
    assert.equal(read(f, column(ColumnType.FLOAT, { lengthBytes: 4 })), Math.fround(3.14))
    const d = Buffer.alloc(8)
    d.writeDoubleLE(-1.7976931348623157e308)
    assert.equal(read(d, column(ColumnType.DOUBLE, { lengthBytes: 8 })), -1.7976931348623157e308)
    assert.equal(read(hex('ff'), column(ColumnType.YEAR)), 2155)
    assert.equal(read(hex('01'), column(ColumnType.YEAR)), 1901)
    assert.equal(read(hex('00'), column(ColumnType.YEAR)), 0)
  })

  it('NEWDECIMAL exactly, as an envelope Decimal at the column scale', () => {
    const value = read(
      encodeDecimal('-0.000000000000000000000000000001', 65, 30),
      column(ColumnType.NEWDECIMAL, { precision: 65, scale: 30 }),
    )
    assert.ok(value instanceof Decimal)
    assert.equal(value.unscaled, -1n)
    assert.equal(value.scale, 30)
  })

  it('temporal types by their fsp', () => {
    assert.deepEqual(read(hex('800000 00'), column(ColumnType.TIME2, { fsp: 1 })), {
      kind: 'time',
      negative: false,
      hours: 0,
      minutes: 0,
      seconds: 0,
      microseconds: 0,
    })
    assert.equal(
      (
        read(hex('8000000000 000001'), column(ColumnType.DATETIME2, { fsp: 6 })) as {
          microsecond: number
        }
      ).microsecond,
      1,
    )
    assert.equal(
      (
        read(hex('00000001 00'), column(ColumnType.TIMESTAMP2, { fsp: 2 })) as {
          epochSeconds: number
        }
      ).epochSeconds,
      1,
    )
    assert.deepEqual(read(hex('000000'), column(ColumnType.DATE)), {
      kind: 'date',
      year: 0,
      month: 0,
      day: 0,
    })
    assert.equal(
      (read(hex('01000000'), column(ColumnType.TIMESTAMP)) as { epochSeconds: number })
        .epochSeconds,
      1,
    )
    assert.equal(
      (read(hex('0000000000000000'), column(ColumnType.DATETIME)) as { year: number }).year,
      0,
    )
    assert.equal((read(hex('010000'), column(ColumnType.TIME)) as { seconds: number }).seconds, 1)
  })

  it('BIT as big-endian bytes of ceil(bits/8)', () => {
    assert.deepEqual(read(hex('01'), column(ColumnType.BIT, { bits: 1 })), hex('01'))
    assert.deepEqual(read(hex('0101'), column(ColumnType.BIT, { bits: 9 })), hex('0101'))
    assert.deepEqual(
      read(hex('8000000000000001'), column(ColumnType.BIT, { bits: 64 })),
      hex('8000000000000001'),
    )
  })

  it('strings with 1- and 2-byte length prefixes, chosen by the declared byte length', () => {
    assert.deepEqual(
      read(hex('02 6869'), column(ColumnType.VARCHAR, { maxLength: 255 })),
      Buffer.from('hi'),
    )
    assert.deepEqual(
      read(hex('0200 6869'), column(ColumnType.VARCHAR, { maxLength: 256 })),
      Buffer.from('hi'),
    )
    assert.deepEqual(read(hex('00'), column(ColumnType.STRING, { maxLength: 40 })), Buffer.alloc(0))
    assert.deepEqual(
      read(hex('0100 7a'), column(ColumnType.STRING, { maxLength: 400 })),
      Buffer.from('z'),
    )
    assert.deepEqual(
      read(hex('01 7a'), column(ColumnType.VAR_STRING, { maxLength: 3 })),
      Buffer.from('z'),
    )
  })

  it('ENUM index and SET bitmask of their packed sizes', () => {
    assert.equal(
      read(hex('03'), column(ColumnType.STRING, { realType: ColumnType.ENUM, lengthBytes: 1 })),
      3,
    )
    assert.equal(
      read(hex('2c01'), column(ColumnType.STRING, { realType: ColumnType.ENUM, lengthBytes: 2 })),
      300,
    )
    assert.equal(
      read(
        hex('ffffffffffffffff'),
        column(ColumnType.STRING, { realType: ColumnType.SET, lengthBytes: 8 }),
      ),
      2n ** 64n - 1n,
    )
    assert.equal(
      read(hex('05'), column(ColumnType.STRING, { realType: ColumnType.SET, lengthBytes: 1 })),
      5n,
    )
  })

  it('BLOB/TEXT of every length-prefix size', () => {
    assert.deepEqual(read(hex('02 0102'), column(ColumnType.BLOB, { lengthBytes: 1 })), hex('0102'))
    assert.deepEqual(
      read(Buffer.concat([u16(2), hex('0102')]), column(ColumnType.BLOB, { lengthBytes: 2 })),
      hex('0102'),
    )
    const big = Buffer.alloc(70000, 7)
    assert.deepEqual(
      read(Buffer.concat([u24(70000), big]), column(ColumnType.BLOB, { lengthBytes: 3 })),
      big,
    )
    assert.deepEqual(
      read(Buffer.concat([u32(0)]), column(ColumnType.BLOB, { lengthBytes: 4 })),
      Buffer.alloc(0),
    )
  })

  it('MariaDB COMPRESSED columns: inflated, with the length prefix of VARCHAR or BLOB', () => {
    const stored = Buffer.concat([hex('00'), Buffer.from('hi')])
    assert.deepEqual(
      read(
        Buffer.concat([hex('03'), stored]),
        column(ColumnType.VARCHAR_COMPRESSED, { maxLength: 41 }),
      ),
      Buffer.from('hi'),
    )
    assert.deepEqual(
      read(
        Buffer.concat([u16(3), stored]),
        column(ColumnType.VARCHAR_COMPRESSED, { maxLength: 4001 }),
      ),
      Buffer.from('hi'),
    )
    assert.deepEqual(
      read(Buffer.concat([u16(3), stored]), column(ColumnType.BLOB_COMPRESSED, { lengthBytes: 2 })),
      Buffer.from('hi'),
    )
  })

  it('MySQL JSON: binary documents, and zero length as an empty value', () => {
    const doc = encodeJson({ t: 'array', items: [{ t: 'literal', v: true }] })
    assert.deepEqual(
      read(Buffer.concat([u32(doc.length), doc]), column(ColumnType.JSON, { lengthBytes: 4 })),
      {
        kind: 'json',
        value: [true],
      },
    )
    assert.deepEqual(read(u32(0), column(ColumnType.JSON, { lengthBytes: 4 })), {
      kind: 'json',
      value: undefined,
    })
  })

  it('GEOMETRY: the SRID prefix and the WKB', () => {
    const wkb = hex('0101000000000000000000f03f0000000000000040')
    const value = read(
      Buffer.concat([u32(wkb.length + 4), u32(4326), wkb]),
      column(ColumnType.GEOMETRY, { lengthBytes: 4 }),
    )
    assert.deepEqual(value, { kind: 'geometry', srid: 4326, wkb })
    assert.throws(
      () =>
        read(Buffer.concat([u32(2), hex('0000')]), column(ColumnType.GEOMETRY, { lengthBytes: 4 })),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_INVALID',
    )
  })

  it('refuses a column type without a row decoder', () => {
    assert.throws(
      () => read(hex('00'), column(ColumnType.DECIMAL)),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_UNSUPPORTED',
    )
  })

  it('fails with CDC_DECODE_TRUNCATED when a length prefix points past the end', () => {
    assert.throws(
      () => read(hex('05 6869'), column(ColumnType.VARCHAR, { maxLength: 10 })),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_TRUNCATED',
    )
  })
})
