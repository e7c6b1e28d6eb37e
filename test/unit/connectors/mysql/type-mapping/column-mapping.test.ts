import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mapColumn } from '../../../../../connectors/mysql/type-mapping/column-mapping.ts'
import type { MappingOptions } from '../../../../../connectors/mysql/type-mapping/mapping.ts'
import { isCdcError } from '../../../../../common/errors.ts'
import { Decimal } from '../../../../../envelope/connect-schema.ts'
import type { ColumnDef } from '../../../../../connectors/mysql/table-def.ts'
import { column } from '../fixtures.ts'

const defaults: MappingOptions = {
  decimalHandlingMode: 'precise',
  timePrecisionMode: 'adaptive_time_microseconds',
  bigintUnsignedHandlingMode: 'long',
}

function map(def: ColumnDef, options: Partial<MappingOptions> = {}) {
  return mapColumn(def, { ...defaults, ...options }, `db.t.${def.name}`)
}

const text = (value: string) => Buffer.from(value, 'utf8')

describe('connectors/mysql/type-mapping', () => {
  it('maps integers by width and signedness, fixing values decoded without signedness', () => {
    const cases: [ColumnDef, string, number | bigint, string][] = [
      [column('a', 'tinyint'), 'int16', -1, '-1'],
      [column('a', 'tinyint', { unsigned: true }), 'int16', -1, '255'],
      [column('a', 'smallint', { unsigned: true }), 'int32', -1, '65535'],
      [column('a', 'mediumint', { unsigned: true }), 'int32', -1, '16777215'],
      [column('a', 'int'), 'int32', -5, '-5'],
      [column('a', 'int', { unsigned: true }), 'int64', -1, '4294967295'],
      [column('a', 'bigint'), 'int64', -9223372036854775808n, '-9223372036854775808'],
    ]
    for (const [def, type, binlog, snapshot] of cases) {
      const mapping = map(def)
      assert.equal(mapping.schema.type, type, def.columnType)
      assert.deepEqual(mapping.fromBinlog(binlog), mapping.fromText(text(snapshot)), def.columnType)
    }
    assert.equal(map(column('a', 'int', { unsigned: true })).fromBinlog(-1), 4294967295n)
  })

  it('follows bigint.unsigned.handling.mode', () => {
    const def = column('a', 'bigint', { unsigned: true })
    assert.equal(map(def).fromBinlog(18446744073709551615n), -1n)
    assert.equal(map(def).fromBinlog(-1n), -1n)
    const precise = map(def, { bigintUnsignedHandlingMode: 'precise' })
    assert.equal(precise.schema.name, 'org.apache.kafka.connect.data.Decimal')
    assert.deepEqual(precise.fromBinlog(-1n), new Decimal(18446744073709551615n, 0))
    assert.deepEqual(
      precise.fromText(text('18446744073709551615')),
      new Decimal(18446744073709551615n, 0),
    )
  })

  it('follows decimal.handling.mode', () => {
    const def = column('a', 'decimal', { precision: 10, scale: 2 })
    const value = new Decimal(-12345n, 2)
    assert.deepEqual(map(def).fromBinlog(value), value)
    assert.deepEqual(map(def).fromText(text('-123.45')), value)
    assert.deepEqual(map(def).schema.parameters, { scale: '2', 'connect.decimal.precision': '10' })
    assert.equal(map(def, { decimalHandlingMode: 'string' }).fromBinlog(value), '-123.45')
    assert.equal(map(def, { decimalHandlingMode: 'double' }).fromText(text('-123.45')), -123.45)
  })

  it('maps FLOAT to float32 read exactly, FLOAT(M,D) and DOUBLE to float64', () => {
    const single = map(column('f', 'float'))
    assert.equal(single.schema.type, 'float32')
    assert.equal(single.select('`f`'), 'CAST(`f` AS DOUBLE)')
    assert.equal(single.fromText(text('3.140000104904175')), Math.fround(3.14))
    assert.equal(single.fromBinlog(Math.fround(3.14)), Math.fround(3.14))
    assert.equal(map(column('f', 'float', { columnType: 'float(7,3)' })).schema.type, 'float64')
    const double = map(column('d', 'double'))
    assert.equal(double.select('`d`'), '`d`')
    assert.equal(double.fromText(text('5e-324')), 5e-324)
  })

  it('maps BIT(1) to boolean and BIT(n) to little-endian bits', () => {
    assert.equal(map(column('b', 'bit', { precision: 1 })).fromBinlog(Buffer.from([1])), true)
    const bits = map(column('b', 'bit', { precision: 10 }))
    assert.deepEqual(bits.schema.parameters, { length: '10' })
    assert.deepEqual(bits.fromBinlog(Buffer.from([0x02, 0xaa])), new Uint8Array([0xaa, 0x02]))
    assert.deepEqual(bits.fromText(Buffer.from([0x02, 0xaa])), new Uint8Array([0xaa, 0x02]))
  })

  it('maps DATE, DATETIME and TIME by time.precision.mode', () => {
    const date = map(column('d', 'date'))
    assert.equal(date.schema.name, 'io.debezium.time.Date')
    assert.equal(date.fromBinlog({ kind: 'date', year: 1970, month: 1, day: 2 }), 1)
    assert.equal(date.fromText(text('1969-12-31')), -1)
    const datetime = {
      kind: 'datetime',
      year: 2024,
      month: 1,
      day: 2,
      hour: 3,
      minute: 4,
      second: 5,
      microsecond: 678000,
    } as const
    const millis = map(column('t', 'datetime', { fsp: 3 }))
    assert.equal(millis.schema.name, 'io.debezium.time.Timestamp')
    assert.equal(millis.fromBinlog(datetime), BigInt(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))
    assert.equal(
      millis.fromText(text('2024-01-02 03:04:05.678')),
      BigInt(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
    )
    const micros = map(column('t', 'datetime', { fsp: 6 }))
    assert.equal(micros.schema.name, 'io.debezium.time.MicroTimestamp')
    assert.equal(
      micros.fromBinlog(datetime),
      BigInt(Date.UTC(2024, 0, 2, 3, 4, 5)) * 1000n + 678000n,
    )
    const time = map(column('t', 'time', { fsp: 2 }))
    assert.equal(time.schema.name, 'io.debezium.time.MicroTime')
    const negative = {
      kind: 'time',
      negative: true,
      hours: 838,
      minutes: 59,
      seconds: 59,
      microseconds: 990000,
    } as const
    assert.equal(
      time.fromBinlog(negative),
      -(838n * 3600n + 59n * 60n + 59n) * 1_000_000n - 990_000n,
    )
    assert.equal(time.fromText(text('-838:59:59.99')), time.fromBinlog(negative))
    assert.equal(
      map(column('t', 'time'), { timePrecisionMode: 'connect' }).schema.name,
      'org.apache.kafka.connect.data.Time',
    )
    assert.equal(
      map(column('t', 'time', { fsp: 3 }), { timePrecisionMode: 'adaptive' }).schema.name,
      'io.debezium.time.Time',
    )
    assert.equal(
      map(column('d', 'date'), { timePrecisionMode: 'connect' }).schema.name,
      'org.apache.kafka.connect.data.Date',
    )
  })

  it('maps zero dates to null when nullable and to the epoch otherwise', () => {
    const zero = { kind: 'date', year: 0, month: 0, day: 0 } as const
    assert.equal(map(column('d', 'date')).fromBinlog(zero), null)
    assert.equal(map(column('d', 'date', { nullable: false })).fromBinlog(zero), 0)
    assert.equal(map(column('d', 'date', { nullable: false })).fromText(text('0000-00-00')), 0)
    const datetime = map(column('t', 'datetime', { nullable: false }))
    assert.equal(datetime.fromText(text('0000-00-00 00:00:00')), 0n)
    const timestamp = map(column('t', 'timestamp', { nullable: false }))
    assert.equal(
      timestamp.fromBinlog({ kind: 'timestamp', epochSeconds: 0, microsecond: 0 }),
      '1970-01-01T00:00:00Z',
    )
    assert.equal(map(column('t', 'timestamp')).fromText(text('0000-00-00 00:00:00')), null)
  })

  it('maps TIMESTAMP to a UTC ZonedTimestamp with the column precision', () => {
    const timestamp = map(column('t', 'timestamp', { fsp: 3 }))
    assert.equal(timestamp.schema.name, 'io.debezium.time.ZonedTimestamp')
    const value = { kind: 'timestamp', epochSeconds: 1704164645, microsecond: 500000 } as const
    assert.equal(timestamp.fromBinlog(value), '2024-01-02T03:04:05.500Z')
    assert.equal(timestamp.fromText(text('2024-01-02 03:04:05.500')), '2024-01-02T03:04:05.500Z')
    assert.equal(
      map(column('t', 'timestamp', { fsp: 0 })).fromBinlog({ ...value, microsecond: 0 }),
      '2024-01-02T03:04:05Z',
    )
  })

  it('decodes binlog text by the column charset and snapshot text as utf8mb4', () => {
    const latin1 = map(column('s', 'varchar', { charset: 'latin1' }))
    assert.equal(latin1.fromBinlog(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x80])), 'café€')
    assert.equal(latin1.fromText(text('café€')), 'café€')
    const utf16 = map(column('s', 'varchar', { charset: 'ucs2' }))
    assert.equal(utf16.fromBinlog(Buffer.from([0x00, 0x41, 0x20, 0xac])), 'A€')
    const utf32 = map(column('s', 'varchar', { charset: 'utf32' }))
    assert.equal(utf32.fromBinlog(Buffer.from([0, 1, 0xf6, 0x00])), '😀')
    assert.throws(
      () => map(column('s', 'varchar', { charset: 'armscii8' })),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_ENVELOPE_UNSUPPORTED_TYPE',
    )
  })

  it('restores BINARY(n) padding and keeps other binaries as they are', () => {
    const binary = map(column('b', 'binary', { octetLength: 4 }))
    assert.deepEqual(binary.fromBinlog(Buffer.from([1])), new Uint8Array([1, 0, 0, 0]))
    assert.deepEqual(binary.fromText(Buffer.from([1, 0, 0, 0])), new Uint8Array([1, 0, 0, 0]))
    assert.deepEqual(
      map(column('b', 'varbinary')).fromBinlog(Buffer.from([1, 0])),
      new Uint8Array([1, 0]),
    )
  })

  it('maps ENUM and SET to their labels', () => {
    const enumeration = map(column('e', 'enum', { values: ['a', 'b,c'] }))
    assert.deepEqual(enumeration.schema.parameters, { allowed: 'a,b,c' })
    assert.equal(enumeration.fromBinlog(2), 'b,c')
    assert.equal(enumeration.fromBinlog(0), '')
    assert.throws(
      () => enumeration.fromBinlog(3),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_MYSQL_SCHEMA_MISMATCH',
    )
    const set = map(column('s', 'set', { values: ['x', 'y', 'z'] }))
    assert.equal(set.schema.name, 'io.debezium.data.EnumSet')
    assert.equal(set.fromBinlog(0b101n), 'x,z')
    assert.equal(set.fromText(text('x,z')), 'x,z')
    assert.throws(() => set.fromBinlog(0b1000n), /bits beyond/)
  })

  it('maps JSON, UUID, INET and geometry', () => {
    const mariadbJson = map(column('j', 'json', { columnType: 'longtext' }))
    assert.equal(mariadbJson.schema.name, 'io.debezium.data.Json')
    assert.equal(mariadbJson.fromBinlog(text('{"a": 1}')), '{"a": 1}')
    assert.equal(mariadbJson.fromText(text('{"a": 1}')), '{"a": 1}')
    const mysqlJson = map(column('j', 'json'))
    const document = new Map<string, number | bigint>([['a', 1n]])
    assert.equal(mysqlJson.fromBinlog({ kind: 'json', value: document }), '{"a":1}')
    assert.equal(mysqlJson.fromText(text('{"a": 1, "b": "x y"}')), '{"a":1,"b":"x y"}')
    assert.equal(mysqlJson.fromBinlog({ kind: 'json', value: undefined }), null)
    assert.equal(
      map(column('u', 'uuid')).fromBinlog(Buffer.from('a0eebc999c0b4ef8bb6d6bb9bd380a', 'hex')),
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a00',
    )
    assert.equal(map(column('i', 'inet6')).fromBinlog(Buffer.from('20010db8', 'hex')), '2001:db8::')
    assert.equal(map(column('i', 'inet4')).fromText(text('10.0.0.1')), '10.0.0.1')
    const geometry = map(column('g', 'point', { nullable: false }))
    assert.equal(geometry.schema.optional, true)
    const wkb = Buffer.from('0101000000000000000000f03f0000000000000040', 'hex')
    assert.deepEqual(geometry.fromBinlog({ kind: 'geometry', srid: 4326, wkb }), {
      wkb: new Uint8Array(wkb),
      srid: 4326,
    })
    const stored = Buffer.concat([Buffer.from([0xe6, 0x10, 0, 0]), wkb])
    assert.deepEqual(geometry.fromText(stored), { wkb: new Uint8Array(wkb), srid: 4326 })
  })

  it('maps VECTOR to float32 elements', () => {
    const bytes = Buffer.alloc(8)
    bytes.writeFloatLE(1.5, 0)
    bytes.writeFloatLE(-2, 4)
    assert.deepEqual(map(column('v', 'vector')).fromBinlog(bytes), [1.5, -2])
  })

  it('refuses unknown types and MariaDB pre-10.1 temporals with their fix', () => {
    assert.throws(
      () => map(column('x', 'sometype')),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_ENVELOPE_UNSUPPORTED_TYPE',
    )
    assert.throws(
      () =>
        map(
          column('t', 'datetime', {
            fsp: 3,
            legacyTemporal: true,
            columnType: 'datetime(3) /* mariadb-5.3 */',
          }),
        ),
      (error: unknown) =>
        isCdcError(error) &&
        error.code === 'CDC_MYSQL_SCHEMA_MISMATCH' &&
        /ALTER TABLE \.\.\. FORCE/.test(error.message),
    )
    assert.equal(
      map(column('t', 'datetime', { fsp: 0, legacyTemporal: true })).schema.name,
      'io.debezium.time.Timestamp',
    )
  })

  it('rejects binlog values of the wrong shape as decoder errors', () => {
    assert.throws(
      () => map(column('a', 'int')).fromBinlog(Buffer.from([1])),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_INVALID',
    )
    assert.throws(
      () => map(column('d', 'date')).fromBinlog(5),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_INVALID',
    )
  })
})
