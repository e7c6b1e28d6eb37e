import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../../../common/errors.ts'
import { ByteReader } from '../../../../../connectors/mysql/protocol/byte-reader.ts'
import { readQueryStatusVars } from '../../../../../connectors/mysql/protocol/query-status-vars.ts'
import { hex, u16, u24, u32, u64, u8 } from './builders.ts'

const read = (bytes: Buffer) => readQueryStatusVars(new ByteReader(bytes))

describe('readQueryStatusVars', () => {
  it('reads the block MariaDB 10.11 writes for DDL', () => {
    const block = Buffer.concat([
      u8(0),
      u32(0x01000000),
      u8(1),
      u64(1411383304n),
      u8(6),
      u8(3),
      Buffer.from('std'),
      u8(4),
      u16(224),
      u16(224),
      u16(45),
      u8(129),
      u64(43n),
    ])
    assert.deepEqual(read(block), {
      flags2: 0x01000000,
      sqlMode: 1411383304n,
      catalog: 'std',
      charset: { client: 224, connection: 224, server: 45 },
      xid: 43n,
    })
  })

  it('reads every MySQL code 0–13 and 16–20', () => {
    const block = Buffer.concat([
      u8(2),
      u8(3),
      Buffer.from('def'),
      u8(0),
      u8(3),
      u16(2),
      u16(1),
      u8(5),
      u8(6),
      Buffer.from('+00:00'),
      u8(7),
      u16(1),
      u8(8),
      u16(8),
      u8(9),
      u64(3n),
      u8(10),
      u32(99),
      u8(11),
      u8(4),
      Buffer.from('root'),
      u8(9),
      Buffer.from('localhost'),
      u8(12),
      u8(2),
      Buffer.from('a\0bb\0'),
      u8(13),
      u24(123456),
      u8(16),
      u8(1),
      u8(17),
      u64(77n),
      u8(18),
      u16(255),
      u8(19),
      u8(1),
      u8(20),
      u8(0),
    ])
    assert.deepEqual(read(block), {
      catalog: 'def',
      autoIncrement: { increment: 2, offset: 1 },
      timeZone: '+00:00',
      lcTimeNames: 1,
      charsetDatabase: 8,
      tableMapForUpdate: 3n,
      masterDataWritten: 99,
      invoker: { user: 'root', host: 'localhost' },
      updatedDbNames: ['a', 'bb'],
      microseconds: 123456,
      explicitDefaultsForTimestamp: 1,
      ddlXid: 77n,
      defaultCollationForUtf8mb4: 255,
      sqlRequirePrimaryKey: 1,
      defaultTableEncryption: 0,
    })
  })

  it('reads "too many databases" and the MariaDB codes 128–131', () => {
    const block = Buffer.concat([
      u8(12),
      u8(254),
      u8(128),
      u24(999999),
      u8(130),
      u8(0x04),
      u64(12n),
      u8(131),
      u8(2),
      u16(33),
      u16(83),
      u16(45),
      u16(46),
    ])
    assert.deepEqual(read(block), {
      updatedDbNames: null,
      hrnow: 999999,
      gtidFlags3: 4,
      startAlterSequence: 12n,
      characterSetCollations: [
        { charset: 33, collation: 83 },
        { charset: 45, collation: 46 },
      ],
    })
    assert.deepEqual(read(hex('8201')), { gtidFlags3: 1 })
  })

  it('stops with an error at an unknown code rather than skip the rest', () => {
    for (const code of [14, 15, 21, 132, 255]) {
      assert.throws(
        () => read(Buffer.concat([u8(0), u32(0), u8(code), u32(0)])),
        (error: unknown) =>
          isCdcError(error) &&
          error.code === 'CDC_DECODE_INVALID' &&
          error.message.includes(`code ${code} at offset 5`),
      )
    }
  })

  it('fails with CDC_DECODE_TRUNCATED when a value runs past the block', () => {
    assert.throws(
      () => read(Buffer.concat([u8(1), u32(0)])),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_DECODE_TRUNCATED',
    )
  })
})
