import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { deflateSync } from 'node:zlib'
import { isCdcError } from '../../../../../common/errors.ts'
import { ByteReader } from '../../../../../connectors/mysql/protocol/byte-reader.ts'
import { decodeQuery } from '../../../../../connectors/mysql/protocol/query-event.ts'
import { hex, u16, u32, u8 } from './builders.ts'

function body(
  schema: string,
  statusVars: Buffer,
  query: Buffer,
  extraPostHeader: Buffer = Buffer.alloc(0),
): Buffer {
  return Buffer.concat([
    u32(9),
    u32(2),
    u8(Buffer.byteLength(schema)),
    u16(0),
    u16(statusVars.length),
    extraPostHeader,
    statusVars,
    Buffer.from(schema),
    u8(0),
    query,
  ])
}

describe('decodeQuery', () => {
  it('reads thread, time, error code, schema, status variables and the statement', () => {
    const event = decodeQuery(
      new ByteReader(
        body(
          'shop',
          Buffer.concat([u8(4), u16(33), u16(33), u16(8)]),
          Buffer.from('CREATE TABLE t (a INT)'),
        ),
      ),
      13,
      false,
    )
    assert.deepEqual(event, {
      kind: 'query',
      threadId: 9,
      execTime: 2,
      errorCode: 0,
      schema: 'shop',
      statusVars: { charset: { client: 33, connection: 33, server: 8 } },
      query: 'CREATE TABLE t (a INT)',
      queryBytes: Buffer.from('CREATE TABLE t (a INT)'),
      compressed: false,
    })
  })

  it('reads BEGIN with no default database', () => {
    const event = decodeQuery(
      new ByteReader(body('', Buffer.alloc(0), Buffer.from('BEGIN'))),
      13,
      false,
    )
    assert.deepEqual([event.schema, event.query], ['', 'BEGIN'])
  })

  it('skips post-header bytes beyond the 13 it knows, before the status variables', () => {
    const event = decodeQuery(
      new ByteReader(body('d', Buffer.alloc(0), Buffer.from('x'), hex('00112233'))),
      17,
      false,
    )
    assert.equal(event.query, 'x')
  })

  it('inflates QUERY_COMPRESSED statements', () => {
    const sql = Buffer.from('ALTER TABLE t ADD COLUMN c TEXT')
    const block = Buffer.concat([hex('81'), u8(sql.length), deflateSync(sql)])
    const event = decodeQuery(new ByteReader(body('d', Buffer.alloc(0), block)), 13, true)
    assert.equal(event.query, sql.toString())
    assert.equal(event.compressed, true)
  })

  it('fails when the database name is not NUL-terminated', () => {
    const bytes = body('ab', Buffer.alloc(0), Buffer.from('x'))
    bytes.writeUInt8(0x21, 13 + 2)
    assert.throws(
      () => decodeQuery(new ByteReader(bytes), 13, false),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_INVALID',
    )
  })

  it('refuses pre-v4 QUERY events without status variables', () => {
    assert.throws(
      () => decodeQuery(new ByteReader(Buffer.alloc(20)), 11, false),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_UNSUPPORTED',
    )
  })
})
