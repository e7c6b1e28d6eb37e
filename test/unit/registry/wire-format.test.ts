import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CdcError } from '../../../common/errors.ts'
import { frame, unframe } from '../../../registry/wire-format.ts'

function wireError(bytes: Uint8Array, reason: RegExp): void {
  assert.throws(
    () => unframe(bytes),
    (error: unknown) => {
      assert.ok(error instanceof CdcError)
      assert.equal(error.code, 'CDC_REG_WIRE_FORMAT')
      assert.match(error.message, reason)
      return true
    },
  )
}

describe('registry/wire-format', () => {
  it('writes magic byte 0, the id as a big-endian int32, then the payload', () => {
    const framed = frame(0x01020304, Uint8Array.of(0xaa, 0xbb))
    assert.deepEqual([...framed], [0, 1, 2, 3, 4, 0xaa, 0xbb])
  })

  it('reads back id and payload, also from a view into a larger buffer', () => {
    const framed = frame(2_147_483_647, Buffer.from('payload'))
    const larger = Buffer.concat([Buffer.from('xx'), framed, Buffer.from('yy')])
    const view = larger.subarray(2, 2 + framed.length)
    const { id, payload } = unframe(view)
    assert.equal(id, 2_147_483_647)
    assert.equal(payload.toString(), 'payload')
    assert.deepEqual(unframe(frame(7, new Uint8Array(0))), { id: 7, payload: Buffer.alloc(0) })
  })

  it('refuses a buffer shorter than magic byte plus id', () => {
    wireError(Uint8Array.of(0, 0, 0, 1), /4 byte\(s\) \(00000001\), fewer than the 5/)
    wireError(new Uint8Array(0), /0 byte\(s\) \(empty\)/)
  })

  it('refuses a wrong magic byte and shows the first bytes', () => {
    wireError(
      Buffer.from('{"id":1}'),
      /magic byte 123, expected 0 \(first bytes 7b226964223a317d\)/,
    )
  })

  it('refuses ids that do not fit a non-negative int32', () => {
    for (const id of [-1, 1.5, 2 ** 31, Number.NaN]) {
      assert.throws(() => frame(id, new Uint8Array(0)), RangeError)
    }
  })
})
