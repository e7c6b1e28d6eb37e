import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import * as types from '../../../envelope/semantic-types.ts'
import {
  dateSchema,
  decimalSchema,
  decimalValue,
  floorDiv,
  timeSchema,
  timestampSchema,
  timestampValue,
  timeValue,
  unsignedBigintSchema,
  unsignedBigintValue,
  variableScaleDecimalValue,
} from '../../../envelope/value-modes.ts'

describe('envelope/value-modes', () => {
  it('maps decimal.handling.mode to Decimal, VariableScaleDecimal, FLOAT64 or STRING', () => {
    assert.deepEqual(decimalSchema('precise', 10, 2), types.connectDecimal(2, 10))
    assert.deepEqual(decimalSchema('precise', undefined, undefined), types.variableScaleDecimal())
    assert.deepEqual(decimalSchema('double', 10, 2, { optional: true }), {
      type: 'float64',
      optional: true,
    })
    assert.deepEqual(decimalSchema('string', 10, 2), { type: 'string', optional: false })
  })

  it('converts decimal values for each mode, rescaling exactly', () => {
    const value = Decimal.parse('-12.5')
    const precise = decimalValue(decimalSchema('precise', 10, 3), value)
    assert.ok(precise instanceof Decimal)
    assert.equal(precise.toString(), '-12.500')
    assert.equal(decimalValue(decimalSchema('double', 10, 3), value), -12.5)
    assert.equal(decimalValue(decimalSchema('string', 10, 3), value), '-12.5')
    assert.deepEqual(decimalValue(decimalSchema('precise', undefined, undefined), value), {
      scale: 1,
      value: Uint8Array.from([0x83]),
    })
    assert.throws(
      () => decimalValue(decimalSchema('precise', 10, 0), value),
      (error) => isCdcError(error) && error.code === 'CDC_ENVELOPE_INVALID_VALUE',
    )
  })

  it('writes VariableScaleDecimal values as scale plus unscaled bytes', () => {
    assert.deepEqual(variableScaleDecimalValue(Decimal.parse('1.28')), {
      scale: 2,
      value: Uint8Array.from([0x00, 0x80]),
    })
  })

  it('chooses temporal schemas by time.precision.mode and column precision', () => {
    const name = (schema: { name?: string }) => schema.name
    assert.equal(name(dateSchema('adaptive')), 'io.debezium.time.Date')
    assert.equal(name(dateSchema('connect')), 'org.apache.kafka.connect.data.Date')
    const times: [Parameters<typeof timeSchema>[0], number, string][] = [
      ['adaptive', 0, 'io.debezium.time.Time'],
      ['adaptive', 3, 'io.debezium.time.Time'],
      ['adaptive', 4, 'io.debezium.time.MicroTime'],
      ['adaptive', 6, 'io.debezium.time.MicroTime'],
      ['adaptive', 9, 'io.debezium.time.NanoTime'],
      ['adaptive_time_microseconds', 0, 'io.debezium.time.MicroTime'],
      ['adaptive_time_microseconds', 9, 'io.debezium.time.MicroTime'],
      ['connect', 6, 'org.apache.kafka.connect.data.Time'],
      ['microseconds', 0, 'io.debezium.time.MicroTime'],
      ['nanoseconds', 0, 'io.debezium.time.NanoTime'],
    ]
    for (const [mode, precision, expected] of times) {
      assert.equal(name(timeSchema(mode, precision)), expected, `${mode} time(${precision})`)
    }
    const timestamps: [Parameters<typeof timestampSchema>[0], number, string][] = [
      ['adaptive', 3, 'io.debezium.time.Timestamp'],
      ['adaptive', 6, 'io.debezium.time.MicroTimestamp'],
      ['adaptive', 9, 'io.debezium.time.NanoTimestamp'],
      ['adaptive_time_microseconds', 0, 'io.debezium.time.Timestamp'],
      ['adaptive_time_microseconds', 6, 'io.debezium.time.MicroTimestamp'],
      ['connect', 6, 'org.apache.kafka.connect.data.Timestamp'],
      ['microseconds', 0, 'io.debezium.time.MicroTimestamp'],
      ['nanoseconds', 0, 'io.debezium.time.NanoTimestamp'],
    ]
    for (const [mode, precision, expected] of timestamps) {
      assert.equal(name(timestampSchema(mode, precision)), expected, `${mode} ts(${precision})`)
    }
    assert.equal(timestampSchema('adaptive', 6, { optional: true }).optional, true)
  })

  it('converts times and timestamps to the schema unit, flooring like java.time', () => {
    assert.equal(timeValue(types.time(), 3_723_456_789_000n), 3_723_456)
    assert.equal(timeValue(types.connectTime(), 3_723_456_789_000n), 3_723_456)
    assert.equal(timeValue(types.microTime(), 3_723_456_789_000n), 3_723_456_789n)
    assert.equal(timeValue(types.nanoTime(), 3_723_456_789_123n), 3_723_456_789_123n)
    assert.equal(timestampValue(types.timestamp(), -1n), -1n)
    assert.equal(timestampValue(types.microTimestamp(), -1_500n), -2n)
    assert.equal(timestampValue(types.connectTimestamp(), 1_999_999n), 1n)
    assert.equal(timestampValue(types.nanoTimestamp(), -7n), -7n)
    assert.throws(
      () => timestampValue(types.date(), 0n),
      (error) => isCdcError(error) && error.code === 'CDC_ENVELOPE_UNSUPPORTED_TYPE',
    )
    assert.equal(floorDiv(-1n, 1000n), -1n)
    assert.equal(floorDiv(1999n, 1000n), 1n)
  })

  it('maps BIGINT UNSIGNED as long (wrapping like Debezium) or precise Decimal(20,0)', () => {
    assert.deepEqual(unsignedBigintSchema('long'), { type: 'int64', optional: false })
    assert.deepEqual(unsignedBigintSchema('precise'), types.connectDecimal(0, 20))
    assert.equal(unsignedBigintValue('long', 2n ** 64n - 1n), -1n)
    assert.equal(unsignedBigintValue('long', 5n), 5n)
    const precise = unsignedBigintValue('precise', 2n ** 64n - 1n)
    assert.ok(precise instanceof Decimal)
    assert.equal(precise.toString(), '18446744073709551615')
  })
})
