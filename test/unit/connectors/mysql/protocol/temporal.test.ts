import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { isCdcError } from '../../../../../common/errors.ts'
import { ByteReader } from '../../../../../connectors/mysql/protocol/byte-reader.ts'
import {
  formatDate,
  formatDateTime,
  formatTime,
  formatTimestamp,
  readDate,
  readDateTime2,
  readDateTimeOld,
  readTime2,
  readTimeOld,
  readTimestamp2,
  readTimestampOld,
  unpackDateTime,
  unpackTime,
} from '../../../../../connectors/mysql/protocol/temporal.ts'
import { hex } from './builders.ts'
import { encodeDateTime2, encodeTime2, encodeTimestamp2 } from './encoders.ts'

function whole<T>(bytes: Buffer, read: (r: ByteReader) => T): T {
  const reader = new ByteReader(bytes)
  const value = read(reader)
  assert.ok(reader.atEnd(), 'consumed every byte')
  return value
}

const time2 = (bytes: string, fsp: number): string =>
  formatTime(
    whole(hex(bytes), (r) => readTime2(r, fsp)),
    fsp,
  )

describe('temporal values', () => {
  it('DATE: day, month and year bit fields, zero dates kept', () => {
    assert.equal(formatDate(whole(hex('5DD00F'), readDate)), '2024-02-29')
    assert.equal(formatDate(whole(hex('000000'), readDate)), '0000-00-00')
    assert.deepEqual(whole(hex('0FD00F'), readDate), {
      kind: 'date',
      year: 2024,
      month: 0,
      day: 15,
    })
  })

  it('DATETIME2(6): the maximum 9999-12-31 23:59:59.999999', () => {
    const value = whole(hex('FEF3FF7EFB 0F423F'), (r) => readDateTime2(r, 6))
    assert.equal(formatDateTime(value, 6), '9999-12-31 23:59:59.999999')
  })

  it('DATETIME2: the zero datetime and fractions at every precision', () => {
    assert.equal(
      formatDateTime(
        whole(hex('8000000000'), (r) => readDateTime2(r, 0)),
        0,
      ),
      '0000-00-00 00:00:00',
    )
    const parts = { year: 2024, month: 2, day: 29, hour: 12, minute: 34, second: 56 }
    const expected = ['', '.1', '.12', '.123', '.1234', '.12345', '.123456']
    for (let fsp = 0; fsp <= 6; fsp++) {
      const micro = Number('123456'.slice(0, fsp).padEnd(6, '0'))
      const value = whole(encodeDateTime2({ ...parts, microsecond: micro }, fsp), (r) =>
        readDateTime2(r, fsp),
      )
      assert.equal(formatDateTime(value, fsp), `2024-02-29 12:34:56${expected[fsp] ?? ''}`)
    }
  })

  it('TIME2(0): ±838:59:59', () => {
    assert.equal(time2('B46EFB', 0), '838:59:59')
    assert.equal(time2('4B9105', 0), '-838:59:59')
    assert.equal(time2('800000', 0), '00:00:00')
  })

  it('TIME2(2): negative fractions as in the MySQL source table (my_time.cc)', () => {
    assert.equal(time2('800000 00', 2), '00:00:00.00')
    assert.equal(time2('7FFFFF FF', 2), '-00:00:00.01')
    assert.equal(time2('7FFFFF 9D', 2), '-00:00:00.99')
    assert.equal(time2('7FFFFF 00', 2), '-00:00:01.00')
    assert.equal(time2('7FFFFE FF', 2), '-00:00:01.01')
    assert.equal(time2('7FFFFE F6', 2), '-00:00:01.10')
  })

  it('TIME2(3) and TIME2(6): negative with fraction, the smallest negative', () => {
    assert.equal(time2('7F3747 E12E', 3), '-12:34:56.789')
    assert.equal(time2('7FFFFFFFFFFF', 6), '-00:00:00.000001')
    assert.equal(time2('800000000001', 6), '00:00:00.000001')
  })

  it('TIME2 round-trips the MySQL encoding at every precision (property)', () => {
    const arbitrary = fc.record({
      fsp: fc.integer({ min: 0, max: 6 }),
      negative: fc.boolean(),
      h: fc.integer({ min: 0, max: 838 }),
      m: fc.integer({ min: 0, max: 59 }),
      s: fc.integer({ min: 0, max: 59 }),
      micro: fc.integer({ min: 0, max: 999_999 }),
    })
    fc.assert(
      fc.property(arbitrary, ({ fsp, negative, h, m, s, micro }) => {
        const kept = Math.floor(micro / 10 ** (6 - fsp)) * 10 ** (6 - fsp)
        const zero = h === 0 && m === 0 && s === 0 && kept === 0
        const value = whole(encodeTime2(negative, h, m, s, kept, fsp), (r) => readTime2(r, fsp))
        assert.deepEqual(value, {
          kind: 'time',
          negative: negative && !zero,
          hours: h,
          minutes: m,
          seconds: s,
          microseconds: kept,
        })
      }),
      { numRuns: 1000 },
    )
  })

  it('DATETIME2 round-trips at every precision (property)', () => {
    const arbitrary = fc.record({
      fsp: fc.integer({ min: 0, max: 6 }),
      year: fc.integer({ min: 0, max: 9999 }),
      month: fc.integer({ min: 0, max: 12 }),
      day: fc.integer({ min: 0, max: 31 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
      micro: fc.integer({ min: 0, max: 999_999 }),
    })
    fc.assert(
      fc.property(arbitrary, ({ fsp, micro, ...parts }) => {
        const microsecond = Math.floor(micro / 10 ** (6 - fsp)) * 10 ** (6 - fsp)
        const value = whole(encodeDateTime2({ ...parts, microsecond }, fsp), (r) =>
          readDateTime2(r, fsp),
        )
        assert.deepEqual(value, { kind: 'datetime', ...parts, microsecond })
      }),
      { numRuns: 1000 },
    )
  })

  it('TIMESTAMP2: epoch seconds and fraction; the zero timestamp', () => {
    const max = whole(hex('7FFFFFFF 2706'), (r) => readTimestamp2(r, 3))
    assert.deepEqual(max, { kind: 'timestamp', epochSeconds: 2147483647, microsecond: 999000 })
    assert.equal(formatTimestamp(max, 3), '2038-01-19 03:14:07.999')
    assert.equal(
      formatTimestamp(
        whole(hex('00000000'), (r) => readTimestamp2(r, 0)),
        0,
      ),
      '0000-00-00 00:00:00',
    )
    const one = whole(encodeTimestamp2(1, 1, 6), (r) => readTimestamp2(r, 6))
    assert.equal(formatTimestamp(one, 6), '1970-01-01 00:00:01.000001')
  })

  it('old TIME, DATETIME and TIMESTAMP (pre-5.6 formats)', () => {
    assert.equal(formatTime(whole(hex('590A80'), readTimeOld), 0), '-838:59:59')
    assert.equal(formatTime(whole(hex('000000'), readTimeOld), 0), '00:00:00')
    assert.equal(
      formatDateTime(whole(hex('80c5aa8b68120000'), readDateTimeOld), 0),
      '2024-02-29 12:34:56',
    )
    assert.equal(
      formatTimestamp(whole(hex('01000000'), readTimestampOld), 0),
      '1970-01-01 00:00:01',
    )
  })

  it('rejects a fractional precision above 6', () => {
    assert.throws(
      () => readTime2(new ByteReader(Buffer.alloc(8)), 7),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_INVALID',
    )
  })

  it('fails with CDC_DECODE_TRUNCATED on a short value', () => {
    assert.throws(
      () => readDateTime2(new ByteReader(hex('FEF3FF7EFB 0F42')), 6),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_TRUNCATED',
    )
  })

  it('unpacks the packed DATETIME and TIME of JSON opaques', () => {
    const ymd = BigInt((2015 * 13 + 1) * 32 + 15)
    const hms = BigInt(23 * 4096 + 24 * 64 + 25)
    const packed = (((ymd << 17n) | hms) << 24n) + 500n
    assert.equal(formatDateTime(unpackDateTime(packed), 6), '2015-01-15 23:24:25.000500')
    const time = (BigInt(838 * 4096 + 59 * 64 + 59) << 24n) + 999_999n
    assert.equal(formatTime(unpackTime(-time), 6), '-838:59:59.999999')
    assert.equal(formatTime(unpackTime(time), 6), '838:59:59.999999')
  })

  it('formats fractions to the column precision, truncating nothing it was given', () => {
    const value = {
      kind: 'time' as const,
      negative: false,
      hours: 1,
      minutes: 2,
      seconds: 3,
      microseconds: 450,
    }
    assert.equal(formatTime(value, 6), '01:02:03.000450')
    assert.equal(formatTime(value, 0), '01:02:03')
  })
})
