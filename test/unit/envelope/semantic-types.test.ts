import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as types from '../../../envelope/semantic-types.ts'

describe('envelope/semantic-types', () => {
  it('gives each temporal and data type its Connect type, name and version 1', () => {
    const expected: [() => { type: string; name?: string; version?: number }, string, string][] = [
      [types.date, 'int32', 'io.debezium.time.Date'],
      [types.time, 'int32', 'io.debezium.time.Time'],
      [types.microTime, 'int64', 'io.debezium.time.MicroTime'],
      [types.nanoTime, 'int64', 'io.debezium.time.NanoTime'],
      [types.timestamp, 'int64', 'io.debezium.time.Timestamp'],
      [types.microTimestamp, 'int64', 'io.debezium.time.MicroTimestamp'],
      [types.nanoTimestamp, 'int64', 'io.debezium.time.NanoTimestamp'],
      [types.zonedTimestamp, 'string', 'io.debezium.time.ZonedTimestamp'],
      [types.zonedTime, 'string', 'io.debezium.time.ZonedTime'],
      [types.year, 'int32', 'io.debezium.time.Year'],
      [types.microDuration, 'int64', 'io.debezium.time.MicroDuration'],
      [types.interval, 'string', 'io.debezium.time.Interval'],
      [types.connectDate, 'int32', 'org.apache.kafka.connect.data.Date'],
      [types.connectTime, 'int32', 'org.apache.kafka.connect.data.Time'],
      [types.connectTimestamp, 'int64', 'org.apache.kafka.connect.data.Timestamp'],
      [types.json, 'string', 'io.debezium.data.Json'],
      [types.uuid, 'string', 'io.debezium.data.Uuid'],
      [types.xml, 'string', 'io.debezium.data.Xml'],
      [types.ltree, 'string', 'io.debezium.data.Ltree'],
    ]
    for (const [build, type, name] of expected) {
      assert.deepEqual(build(), { type, optional: false, name, version: 1 }, name)
    }
  })

  it('passes optional and default through', () => {
    assert.deepEqual(types.microTimestamp({ optional: true, default: 0n }), {
      type: 'int64',
      optional: true,
      name: 'io.debezium.time.MicroTimestamp',
      version: 1,
      default: 0n,
    })
  })

  it('builds Decimal with scale, then precision when known', () => {
    assert.deepEqual(types.connectDecimal(2, 10), {
      type: 'bytes',
      optional: false,
      name: 'org.apache.kafka.connect.data.Decimal',
      version: 1,
      parameters: { scale: '2', 'connect.decimal.precision': '10' },
    })
    assert.deepEqual(Object.keys(types.connectDecimal(2, 10).parameters ?? {}), [
      'scale',
      'connect.decimal.precision',
    ])
    assert.deepEqual(types.connectDecimal(0).parameters, { scale: '0' })
  })

  it('carries enum labels, set labels and bit lengths as parameters', () => {
    assert.deepEqual(types.enumeration(['a', 'b c']).parameters, { allowed: 'a,b c' })
    assert.equal(types.enumeration(['x']).name, 'io.debezium.data.Enum')
    assert.deepEqual(types.enumSet(['r', 'w']), {
      type: 'string',
      optional: false,
      name: 'io.debezium.data.EnumSet',
      version: 1,
      parameters: { allowed: 'r,w' },
    })
    assert.deepEqual(types.bits(12), {
      type: 'bytes',
      optional: false,
      name: 'io.debezium.data.Bits',
      version: 1,
      parameters: { length: '12' },
    })
  })

  it('builds VariableScaleDecimal as the struct {scale int32, value bytes}', () => {
    assert.deepEqual(types.variableScaleDecimal({ optional: true }), {
      type: 'struct',
      optional: true,
      name: 'io.debezium.data.VariableScaleDecimal',
      version: 1,
      doc: 'Variable scaled decimal',
      fields: [
        { name: 'scale', schema: { type: 'int32', optional: false } },
        { name: 'value', schema: { type: 'bytes', optional: false } },
      ],
    })
  })

  it('builds the geometry structs, Geometry optional unless asked otherwise', () => {
    const point = types.point()
    assert.equal(point.doc, 'Geometry (POINT)')
    assert.deepEqual(
      point.fields.map((field) => [field.name, field.schema.type, field.schema.optional]),
      [
        ['x', 'float64', false],
        ['y', 'float64', false],
        ['wkb', 'bytes', true],
        ['srid', 'int32', true],
      ],
    )
    const geometry = types.geometry()
    assert.equal(geometry.optional, true)
    assert.equal(types.geometry({ optional: false }).optional, false)
    assert.deepEqual(
      geometry.fields.map((field) => [field.name, field.schema.optional]),
      [
        ['wkb', false],
        ['srid', true],
      ],
    )
    assert.equal(types.geography().name, 'io.debezium.data.geometry.Geography')
    assert.equal(types.geography().optional, false)
  })

  it('builds vectors as named arrays of floats', () => {
    assert.deepEqual(types.floatVector(), {
      type: 'array',
      optional: false,
      name: 'io.debezium.data.FloatVector',
      version: 1,
      items: { type: 'float32', optional: false },
    })
    assert.equal(types.doubleVector().items.type, 'float64')
  })
})
