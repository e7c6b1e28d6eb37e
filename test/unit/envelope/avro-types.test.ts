import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import avsc from 'avsc'
import { createAvscType } from '../../../envelope/avro-types.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'

const hex = (buffer: Buffer) => buffer.toString('hex')

describe('envelope/avro-types', () => {
  it('writes long as zig-zag varints over the whole int64 range, read back as bigint', () => {
    const type = createAvscType('long')
    const cases: [bigint, string][] = [
      [0n, '00'],
      [-1n, '01'],
      [1n, '02'],
      [9007199254740993n, '8280808080808020'],
      [2n ** 63n - 1n, 'feffffffffffffffff01'],
      [-(2n ** 63n), 'ffffffffffffffffff01'],
    ]
    for (const [value, bytes] of cases) {
      const buffer = type.toBuffer(value)
      assert.equal(hex(buffer), bytes, String(value))
      assert.equal(type.fromBuffer(buffer), value)
    }
  })

  it('agrees with avsc for longs a double can hold, and refuses numbers and overflow', () => {
    const plain = avsc.Type.forSchema('long')
    const ours = createAvscType({ type: 'long', 'connect.default': 5 })
    for (const value of [0, 1, -1, 123456789, -(2 ** 50), 2 ** 50]) {
      assert.equal(hex(ours.toBuffer(BigInt(value))), hex(plain.toBuffer(value)))
      assert.equal(plain.fromBuffer(ours.toBuffer(BigInt(value))), value)
    }
    assert.throws(() => ours.toBuffer(5))
    assert.throws(() => ours.toBuffer(2n ** 63n))
  })

  it('writes decimals as two-complement unscaled bytes at the schema scale', () => {
    const type = createAvscType({ type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 })
    assert.equal(hex(type.toBuffer(Decimal.parse('1.28'))), '04' + '0080')
    assert.equal(hex(type.toBuffer(Decimal.parse('-1.5'))), '04ff6a')
    const read = type.fromBuffer(type.toBuffer(Decimal.parse('-1.5'))) as Decimal
    assert.equal(read.toString(), '-1.50')
    assert.throws(() => type.toBuffer(Decimal.parse('1.234')))
  })

  it('reads decimals that a plain bytes writer wrote', () => {
    const writer = avsc.Type.forSchema('bytes')
    const reader = createAvscType({ type: 'bytes', logicalType: 'decimal', precision: 5, scale: 1 })
    const resolver = reader.createResolver(writer)
    const read = reader.fromBuffer(writer.toBuffer(Buffer.from([0xff, 0x38])), resolver) as Decimal
    assert.equal(read.toString(), '-20.0')
  })
})
