import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseErrorPacket } from '../../../../connectors/mysql/binlog-stream.ts'

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex')

describe('connectors/mysql/binlog-stream', () => {
  it('reads an ERR packet with and without SQLSTATE', () => {
    const error = parseErrorPacket(
      Buffer.concat([hex('ff d404 23'), Buffer.from('HY000Could not find first log file')]),
    )
    assert.equal(error.errno, 1236)
    assert.equal(error.sqlState, 'HY000')
    assert.equal(error.message, 'Could not find first log file')
    const bare = parseErrorPacket(Buffer.concat([hex('ff c40f'), Buffer.from('same id')]))
    assert.equal(bare.errno, 4036)
    assert.equal(bare.message, 'same id')
  })
})
