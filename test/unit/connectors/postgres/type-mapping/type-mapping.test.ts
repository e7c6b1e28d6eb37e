import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodePgoutput } from '../../../../../connectors/postgres/pgoutput/decoder.ts'
import type { TupleValue } from '../../../../../connectors/postgres/pgoutput/messages.ts'
import {
  mapType,
  type MappingOptions,
} from '../../../../../connectors/postgres/type-mapping/type-mapping.ts'
import { Decimal, type ConnectValue } from '../../../../../envelope/connect-schema.ts'
import { fixtureTypes, loadFixture, payloads } from '../fixtures.ts'

const fixture = loadFixture('types')
const types = fixtureTypes(fixture)
const messages = payloads(fixture).map(decodePgoutput)
const relation = messages.find((message) => message.tag === 'relation')
const insert = messages.find((message) => message.tag === 'insert')

const defaults: MappingOptions = {
  decimalHandlingMode: 'precise',
  timePrecisionMode: 'adaptive',
  moneyFractionDigits: 2,
}

/** The recorded column's mapping and its server text, as the stream delivers both. */
function column(name: string, options: Partial<MappingOptions> = {}, optional = true) {
  if (relation?.tag !== 'relation' || insert?.tag !== 'insert')
    throw new Error('fixture lacks Relation or Insert')
  const index = relation.columns.findIndex((candidate) => candidate.name === name)
  const meta = relation.columns[index]
  if (meta === undefined) throw new Error(`no column ${name}`)
  const mapping = mapType(
    types,
    meta.typeOid,
    meta.typeMod,
    optional,
    { ...defaults, ...options },
    name,
  )
  const text: TupleValue = insert.newTuple[index] ?? null
  if (typeof text !== 'string') throw new Error(`column ${name} has no text`)
  return { mapping, text, value: (): ConnectValue => mapping.convert(text) }
}

const hex = (value: ConnectValue) => Buffer.from(value as Uint8Array).toString('hex')

describe('connectors/postgres/type-mapping (server text recorded from PostgreSQL 15)', () => {
  it('integers: int16/int32 as number, int64 as exact bigint', () => {
    assert.deepEqual([column('i2').mapping.schema.type, column('i2').value()], ['int16', 32767])
    assert.deepEqual([column('id').mapping.schema.type, column('id').value()], ['int32', 1])
    assert.deepEqual(
      [column('i8').mapping.schema.type, column('i8').value()],
      ['int64', 9223372036854775807n],
    )
  })

  it('numeric(p,s) as Decimal with scale and precision parameters; numeric as VariableScaleDecimal', () => {
    const fixed = column('n102')
    assert.deepEqual(fixed.mapping.schema.parameters, {
      scale: '2',
      'connect.decimal.precision': '10',
    })
    assert.deepEqual(fixed.value(), new Decimal(1234567891n, 2))
    const free = column('nfree')
    assert.equal(free.mapping.schema.name, 'io.debezium.data.VariableScaleDecimal')
    // Trailing zeros stripped, as Debezium does: 1.2300 -> scale 2, unscaled 123.
    const value = free.value() as { scale: number; value: Uint8Array }
    assert.equal(value.scale, 2)
    assert.equal(hex(value.value), '7b')
  })

  it('numeric NaN: null when optional and an error naming the remedy when required under precise, NAN in string mode', () => {
    assert.equal(column('nnan').value(), null)
    assert.throws(
      () => column('nnan', {}, false).value(),
      /decimal\.handling\.mode=string or double/,
    )
    assert.equal(column('nnan', { decimalHandlingMode: 'string' }).value(), 'NAN')
    assert.ok(Number.isNaN(column('nnan', { decimalHandlingMode: 'double' }).value()))
    assert.equal(column('n102', { decimalHandlingMode: 'string' }).value(), '12345678.91')
    assert.equal(column('n102', { decimalHandlingMode: 'double' }).value(), 12345678.91)
  })

  it('floats keep NaN and infinities', () => {
    assert.equal(column('r').mapping.schema.type, 'float32')
    assert.ok(Number.isNaN(column('rnan').value()))
    assert.equal(column('dinf').value(), -Infinity)
    assert.equal(column('d').value(), 0.1)
  })

  it('money as a Decimal at money.fraction.digits', () => {
    const money = column('m')
    assert.deepEqual(money.mapping.schema.parameters, { scale: '2' })
    assert.deepEqual(money.value(), new Decimal(123456n, 2))
    assert.deepEqual(column('m', { moneyFractionDigits: 3 }).value(), new Decimal(1234560n, 3))
    assert.equal(column('m', { decimalHandlingMode: 'string' }).value(), '1234.56')
  })

  it('text types as written; bpchar keeps its padding', () => {
    assert.equal(column('b').value(), true)
    assert.equal(column('txt').value(), 'héllo')
    assert.equal(column('ch').value(), 'ab  ')
    assert.equal(hex(column('ba').value()), '00ff10')
    assert.equal(column('u').mapping.schema.name, 'io.debezium.data.Uuid')
    assert.equal(column('jb').mapping.schema.name, 'io.debezium.data.Json')
    assert.equal(column('jb').value(), '{"a": [1, 2], "b": 1}')
    assert.equal(column('x').mapping.schema.name, 'io.debezium.data.Xml')
    assert.equal(column('tv').value(), "'a' 'cat' 'fat'")
    assert.equal(column('ip').value(), '192.168.0.1/24')
    assert.equal(column('rng').value(), '[1,10)')
    assert.equal(column('pair').value(), '(1,"x y")')
  })

  it('dates as epoch days, with Debezium infinity sentinels and BC years', () => {
    assert.equal(column('dt').mapping.schema.name, 'io.debezium.time.Date')
    assert.equal(column('dt').value(), 19782)
    assert.equal(column('dtinf').value(), -2147472692)
    assert.equal(column('dtbc').value(), -735160)
    assert.equal(
      column('dt', { timePrecisionMode: 'connect' }).mapping.schema.name,
      'org.apache.kafka.connect.data.Date',
    )
  })

  it('times by precision: MicroTime for time(6), Time (ms) for time(3), ZonedTime in UTC', () => {
    assert.equal(column('tm').mapping.schema.name, 'io.debezium.time.MicroTime')
    assert.equal(column('tm').value(), 86399123456n)
    assert.equal(column('tm3').mapping.schema.name, 'io.debezium.time.Time')
    assert.equal(column('tm3').value(), 43200500)
    assert.equal(
      column('tm3', { timePrecisionMode: 'adaptive_time_microseconds' }).value(),
      43200500000n,
    )
    assert.equal(column('tm', { timePrecisionMode: 'connect' }).value(), 86399123)
    assert.equal(column('tmz').value(), '10:00:00Z')
  })

  it('timestamps: MicroTimestamp keeps µs, timestamp(0) is ms, infinity is the sentinel, timestamptz is ISO UTC at column precision', () => {
    assert.equal(column('ts').mapping.schema.name, 'io.debezium.time.MicroTimestamp')
    assert.equal(column('ts').value(), 1704164645123456n)
    assert.equal(column('tsinf').value(), 9223372036825200000n)
    assert.equal(column('ts0').mapping.schema.name, 'io.debezium.time.Timestamp')
    assert.equal(column('ts0').value(), 1704164645000n)
    assert.equal(column('ts', { timePrecisionMode: 'connect' }).value(), 1704164645123n)
    assert.equal(column('tstz').value(), '2024-01-02T01:04:05.500000Z')
    assert.equal(column('tstz3').value(), '1969-12-31T23:59:59.999Z')
  })

  it('interval as MicroDuration with 365.25/12-day months', () => {
    assert.equal(column('iv').text, 'P1Y2M3DT4H5M6.789S')
    assert.equal(column('iv').value(), 37091106789000n)
  })

  it('arrays of the element mapping, with nulls; enum arrays have required items', () => {
    assert.deepEqual(column('ia').value(), [1, null, 3])
    assert.deepEqual(column('ta').value(), ['a b', null, 'x"y'])
    assert.deepEqual(column('na').value(), [new Decimal(150n, 2), null])
    const moods = column('moods').mapping.schema
    assert.equal(moods.type, 'array')
    assert.equal(moods.items.optional, false)
    assert.deepEqual(column('moods').value(), ['sad', 'happy'])
  })

  it('enums carry their labels; domains map as their base type', () => {
    assert.deepEqual(column('mood').mapping.schema.parameters, { allowed: 'sad,ok,happy' })
    assert.equal(column('mood').value(), 'ok')
    assert.equal(column('dom').mapping.schema.type, 'int32')
    assert.equal(column('dom').value(), 7)
  })

  it('bit(1) as boolean, longer bit strings as little-endian Bits', () => {
    assert.equal(column('b1').value(), true)
    assert.deepEqual(column('b3').mapping.schema.parameters, { length: '3' })
    assert.equal(hex(column('b3').value()), '05')
    assert.equal(hex(column('vb').value()), 'aa02')
  })

  it('point as Debezium Point with WKB', () => {
    const point = column('pt').value() as { x: number; y: number; wkb: Uint8Array; srid: null }
    assert.deepEqual([point.x, point.y, point.srid], [1.5, -2, null])
    assert.equal(hex(point.wkb), '0101000000000000000000f83f00000000000000c0')
  })

  it('gives required fields the type zero and unchanged TOAST the placeholder', () => {
    const required = column('i8', {}, false).mapping
    assert.equal(required.schema.optional, false)
    assert.equal(required.fallback, 0n)
    assert.equal(column('txt').mapping.unavailable, '__debezium_unavailable_value')
    assert.equal(
      Buffer.from(column('ba').mapping.unavailable as Uint8Array).toString(),
      '__debezium_unavailable_value',
    )
    assert.deepEqual(column('ta').mapping.unavailable, ['__debezium_unavailable_value'])
    assert.equal(column('tstz').mapping.fallback, '1970-01-01T00:00:00Z')
  })
})
