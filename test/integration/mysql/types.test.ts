import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Decimal, type StructValue } from '../../../envelope/connect-schema.ts'
import { connectValuesEqual } from '../../../envelope/connect-values.ts'
import { ConnectorRun, display, rows } from './connector-run.ts'
import { MysqlScope } from './mysql-fixture.ts'

const columns = `
  id INT PRIMARY KEY,
  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED,
  mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED,
  bi BIGINT, biu BIGINT UNSIGNED, bo BOOLEAN,
  dec1 DECIMAL(10,3), dec2 DECIMAL(65,30), decu DECIMAL(5,0) UNSIGNED,
  f FLOAT, fmd FLOAT(7,3), d DOUBLE,
  dt DATE, dz DATE NOT NULL DEFAULT '2000-01-01',
  dtm0 DATETIME, dtm3 DATETIME(3), dtm6 DATETIME(6),
  ts0 TIMESTAMP NULL, ts3 TIMESTAMP(3) NULL, ts6 TIMESTAMP(6) NULL,
  tm0 TIME, tm2 TIME(2), tm6 TIME(6), y YEAR,
  b1 BIT(1), b10 BIT(10), b64 BIT(64),
  e ENUM('a','b,c','d'), s SET('x','y','z'),
  c CHAR(5), vc VARCHAR(50), tx TEXT,
  lt VARCHAR(20) CHARACTER SET latin1, u8 VARCHAR(20) CHARACTER SET utf8mb3,
  bin BINARY(6), vb VARBINARY(20), bl BLOB,
  j JSON, g GEOMETRY, pt POINT,
  u UUID, i6 INET6, i4 INET4`

const typical = `
  ti=-128, tiu=255, si=-32768, siu=65535, mi=-8388608, miu=16777215, i=-2147483648,
  iu=4294967295, bi=-9223372036854775808, biu=18446744073709551615, bo=TRUE,
  dec1=-1234.567, dec2=-12345678901234567890.123456789012345678901234567890, decu=99999,
  f=3.14, fmd=1.5, d=0.1, dt='2024-02-29', dz='1969-12-31',
  dtm0='1969-07-20 20:17:40', dtm3='2024-01-02 03:04:05.678', dtm6='1900-01-01 00:00:00.000001',
  ts0='2038-01-19 03:14:07', ts3='2024-01-02 03:04:05.5', ts6='2024-01-02 03:04:05.123456',
  tm0='838:59:59', tm2='-12:34:56.78', tm6='-00:00:00.000001', y=2024,
  b1=b'1', b10=b'1010101010', b64=b'1000000000000000000000000000000000000000000000000000000000000001',
  e='b,c', s='x,z', c='ab', vc='héllo ✓ 😀', tx=REPEAT('long text ', 100),
  lt=_latin1 x'636166e980', u8='çà',
  bin=x'0102', vb=x'00ff00', bl=x'deadbeef00',
  j='{"a": 1, "b": [true, null]}', g=ST_GeomFromText('LINESTRING(0 0, 1 1)', 4326),
  pt=ST_GeomFromText('POINT(1 2)'),
  u='a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a00', i6='2001:db8::1', i4='10.0.0.1'`

const zeros = `
  dt='0000-00-00', dz='0000-00-00', dtm0='0000-00-00 00:00:00', ts0='0000-00-00 00:00:00',
  ti=0, bo=FALSE, b1=b'0', b10=b'0', e='', s='', c='', vc='', bin=x'', u='00000000-0000-0000-0000-000000000000', i6='::'`

describe('MySQL/MariaDB connector: column types', () => {
  let scope: MysqlScope
  const snapshot = new Map<number, StructValue>()
  const streamed = new Map<number, StructValue>()

  before(async () => {
    scope = await MysqlScope.create()
    await scope.query(`CREATE TABLE types (${columns})`)
    // Zero dates need a lax sql_mode; the session's mode is logged with the rows.
    await scope.query("SET SESSION sql_mode = ''")
    for (const [id, set] of [
      [1, typical],
      [2, zeros],
      [3, 'ti=NULL'],
    ] as const) {
      await scope.query(`INSERT INTO types SET id=${id}, ${set}`)
    }
    const run = new ConnectorRun(scope.name, scope.config(), null)
    try {
      await run.events(3)
      await run.streaming()
      for (const [id, set] of [
        [101, typical],
        [102, zeros],
        [103, 'ti=NULL'],
      ] as const) {
        await scope.query(`INSERT INTO types SET id=${id}, ${set}`)
      }
      await run.events(6)
    } finally {
      await run.stop()
    }
    for (const event of rows(run.sink.events)) {
      const after = event.after ?? {}
      const id = Number(after.id)
      if (event.op === 'r') snapshot.set(id, after)
      if (event.op === 'c') streamed.set(id - 100, after)
    }
  })

  after(async () => {
    await scope.drop()
  })

  it('gives the same value in the snapshot (r) and the stream (c) for every column', () => {
    assert.deepEqual([...snapshot.keys()].sort(), [1, 2, 3])
    assert.deepEqual([...streamed.keys()].sort(), [1, 2, 3])
    for (const [id, read] of snapshot) {
      const created = streamed.get(id) ?? {}
      for (const name of Object.keys(read)) {
        if (name === 'id') continue
        assert.ok(
          connectValuesEqual(read[name], created[name]),
          `row ${id} column ${name}: r ${display(read[name])} != c ${display(created[name])}`,
        )
      }
    }
  })

  it('maps integers, decimals and floats as Debezium does', () => {
    const row = snapshot.get(1) ?? {}
    assert.equal(row.ti, -128)
    assert.equal(row.tiu, 255)
    assert.equal(row.si, -32768)
    assert.equal(row.siu, 65535)
    assert.equal(row.mi, -8388608)
    assert.equal(row.miu, 16777215)
    assert.equal(row.i, -2147483648)
    assert.equal(row.iu, 4294967295n)
    assert.equal(row.bi, -9223372036854775808n)
    // bigint.unsigned.handling.mode=long wraps above 2^63-1, as Debezium does.
    assert.equal(row.biu, -1n)
    assert.equal(row.bo, 1)
    assert.deepEqual(row.dec1, new Decimal(-1234567n, 3))
    assert.equal(
      (row.dec2 as Decimal).toString(),
      '-12345678901234567890.123456789012345678901234567890',
    )
    assert.deepEqual(row.decu, new Decimal(99999n, 0))
    assert.equal(row.f, Math.fround(3.14))
    assert.equal(row.fmd, 1.5)
    assert.equal(row.d, 0.1)
  })

  it('maps temporal types to epoch units and TIMESTAMP to a UTC string', () => {
    const row = snapshot.get(1) ?? {}
    assert.equal(row.dt, Date.UTC(2024, 1, 29) / 86_400_000)
    assert.equal(row.dz, -1)
    assert.equal(row.dtm0, BigInt(Date.UTC(1969, 6, 20, 20, 17, 40)))
    assert.equal(row.dtm3, BigInt(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))
    assert.equal(row.dtm6, BigInt(Date.UTC(1900, 0, 1)) * 1000n + 1n)
    assert.equal(row.ts0, '2038-01-19T03:14:07Z')
    assert.equal(row.ts3, '2024-01-02T03:04:05.500Z')
    assert.equal(row.ts6, '2024-01-02T03:04:05.123456Z')
    assert.equal(row.tm0, (838n * 3600n + 59n * 60n + 59n) * 1_000_000n)
    assert.equal(row.tm2, -(12n * 3600n + 34n * 60n + 56n) * 1_000_000n - 780_000n)
    assert.equal(row.tm6, -1n)
    assert.equal(row.y, 2024)
  })

  it('maps zero dates to null when nullable and to the epoch otherwise', () => {
    for (const row of [snapshot.get(2) ?? {}, streamed.get(2) ?? {}]) {
      assert.equal(row.dt, null)
      assert.equal(row.dtm0, null)
      assert.equal(row.ts0, null)
      assert.equal(row.dz, 0)
    }
  })

  it('maps bits, enums, sets, strings and binaries', () => {
    const row = snapshot.get(1) ?? {}
    assert.equal(row.b1, true)
    assert.deepEqual(row.b10, new Uint8Array([0xaa, 0x02]))
    assert.deepEqual(row.b64, new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0x80]))
    assert.equal(row.e, 'b,c')
    assert.equal(row.s, 'x,z')
    assert.equal(row.c, 'ab')
    assert.equal(row.vc, 'héllo ✓ 😀')
    assert.equal(row.tx, 'long text '.repeat(100))
    assert.equal(row.lt, 'café€')
    assert.equal(row.u8, 'çà')
    // BINARY(6) keeps its trailing zero bytes, which the binlog drops.
    assert.deepEqual(row.bin, new Uint8Array([1, 2, 0, 0, 0, 0]))
    assert.deepEqual(row.vb, new Uint8Array([0, 0xff, 0]))
    assert.deepEqual(row.bl, new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0]))
    const zero = streamed.get(2) ?? {}
    assert.equal(zero.b1, false)
    assert.equal(zero.e, '')
    assert.equal(zero.s, '')
    assert.deepEqual(zero.bin, new Uint8Array(6))
  })

  it('maps JSON, geometry, UUID and INET types', () => {
    const row = streamed.get(1) ?? {}
    assert.equal(row.j, '{"a": 1, "b": [true, null]}')
    const geometry = row.g as { wkb: Uint8Array; srid: number }
    assert.equal(geometry.srid, 4326)
    assert.equal(Buffer.from(geometry.wkb).toString('hex').slice(0, 10), '0102000000')
    assert.deepEqual(row.pt, {
      wkb: new Uint8Array(Buffer.from('0101000000000000000000f03f0000000000000040', 'hex')),
      srid: 0,
    })
    assert.equal(row.u, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a00')
    assert.equal(row.i6, '2001:db8::1')
    assert.equal(row.i4, '10.0.0.1')
    assert.equal((streamed.get(2) ?? {}).i6, '::')
  })

  it('gives NULL for NULL in both paths', () => {
    for (const row of [snapshot.get(3) ?? {}, streamed.get(3) ?? {}]) {
      for (const [name, value] of Object.entries(row)) {
        if (name === 'id' || name === 'dz') continue
        assert.equal(value, null, `column ${name}`)
      }
    }
  })
})
