import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodePgoutput } from '../../../../../connectors/postgres/pgoutput/decoder.ts'
import {
  unchangedToast,
  type PgoutputMessage,
} from '../../../../../connectors/postgres/pgoutput/messages.ts'
import { loadFixture, payloads } from '../fixtures.ts'

function decodeAll(name: string): PgoutputMessage[] {
  return payloads(loadFixture(name)).map(decodePgoutput)
}

function only<T extends PgoutputMessage['tag']>(
  messages: PgoutputMessage[],
  tag: T,
): Extract<PgoutputMessage, { tag: T }>[] {
  return messages.filter(
    (message): message is Extract<PgoutputMessage, { tag: T }> => message.tag === tag,
  )
}

describe('connectors/postgres/pgoutput/decoder', () => {
  it('decodes transactions: Begin and Commit agree on the commit LSN, end LSN follows it', () => {
    const messages = decodeAll('insert-update-delete')
    const begins = only(messages, 'begin')
    const commits = only(messages, 'commit')
    assert.equal(begins.length, 4)
    assert.equal(commits.length, 4)
    begins.forEach((begin, index) => {
      const commit = commits[index]
      assert.equal(commit?.commitLsn, begin.finalLsn)
      assert.ok(commit.endLsn > begin.finalLsn)
      assert.equal(commit.commitTimeUs, begin.commitTimeUs)
      // Unix µs of a recent date, not PostgreSQL's 2000 epoch.
      assert.ok(begin.commitTimeUs > 1_600_000_000_000_000n)
      assert.ok(begin.xid > 0)
    })
  })

  it('decodes a Relation with key flags, type OIDs and modifiers', () => {
    const fixture = loadFixture('insert-update-delete')
    const [relation] = only(payloads(fixture).map(decodePgoutput), 'relation')
    assert.equal(relation?.schema, fixture.schema)
    assert.equal(relation.name, 'fixture_t')
    assert.equal(relation.replicaIdentity, 'd')
    assert.deepEqual(relation.columns, [
      { isKey: true, name: 'id', typeOid: 23, typeMod: -1 },
      { isKey: false, name: 'name', typeOid: 25, typeMod: -1 },
      { isKey: false, name: 'price', typeOid: 1700, typeMod: 655366 },
      { isKey: false, name: 'tags', typeOid: 1009, typeMod: -1 },
    ])
  })

  it('keeps tuple values as server text; K tuples carry only the key', () => {
    const messages = decodeAll('insert-update-delete')
    assert.deepEqual(only(messages, 'insert')[0]?.newTuple, ['1', 'Ada', '12.50', '{a,"b c",NULL}'])
    const [plain, keyChange] = only(messages, 'update')
    assert.equal(plain?.oldKind, null)
    assert.equal(plain.oldTuple, null)
    assert.deepEqual(plain.newTuple, ['1', 'Grace', '12.50', '{a,"b c",NULL}'])
    assert.equal(keyChange?.oldKind, 'key')
    assert.deepEqual(keyChange.oldTuple, ['1', null, null, null])
    assert.deepEqual(keyChange.newTuple[0], '2')
    const [deletion] = only(messages, 'delete')
    assert.equal(deletion?.oldKind, 'key')
    assert.deepEqual(deletion.oldTuple, ['2', null, null, null])
  })

  it('decodes whole old rows under REPLICA IDENTITY FULL', () => {
    const messages = decodeAll('replica-identity-full')
    assert.equal(only(messages, 'relation')[0]?.replicaIdentity, 'f')
    const [update] = only(messages, 'update')
    assert.equal(update?.oldKind, 'old')
    assert.deepEqual(update.oldTuple, ['1', 'Ada'])
    assert.deepEqual(update.newTuple, ['1', null])
    const [deletion] = only(messages, 'delete')
    assert.equal(deletion?.oldKind, 'old')
    assert.deepEqual(deletion.oldTuple, ['1', null])
  })

  it('marks an unchanged TOASTed column as unchangedToast, distinct from null', () => {
    const [update] = only(decodeAll('unchanged-toast'), 'update')
    assert.deepEqual(update?.newTuple, ['1', unchangedToast, '2'])
  })

  it('decodes Type, Truncate and both kinds of logical messages', () => {
    const messages = decodeAll('truncate-message-enum')
    const [type] = only(messages, 'type')
    assert.equal(type?.name, 'fixture_mood')
    const relation = only(messages, 'relation')[0]
    assert.equal(relation?.columns[1]?.typeOid, type.typeOid)
    const [truncate] = only(messages, 'truncate')
    assert.deepEqual(truncate?.relationIds, [relation.relationId])
    assert.equal(truncate.cascade, true)
    assert.equal(truncate.restartIdentity, true)
    const [transactional, plain] = only(messages, 'message')
    assert.equal(transactional?.transactional, true)
    assert.equal(transactional.prefix, 'tx-prefix')
    assert.equal(Buffer.from(transactional.content).toString(), 'in a transaction')
    assert.equal(plain?.transactional, false)
    assert.equal(plain.prefix, 'plain')
    assert.deepEqual([...plain.content], [0x00, 0xff])
    assert.ok(plain.lsn > 0n)
  })

  it('throws on unknown tags, truncated messages, trailing bytes and binary values', () => {
    assert.throws(() => decodePgoutput(Uint8Array.of(0x53, 0, 0, 0, 1, 1)), {
      code: 'CDC_DECODE_UNKNOWN_MESSAGE',
    })
    assert.throws(() => decodePgoutput(new Uint8Array(0)), { code: 'CDC_DECODE_TRUNCATED' })
    const [begin] = payloads(loadFixture('insert-update-delete'))
    assert.ok(begin !== undefined)
    assert.throws(() => decodePgoutput(begin.subarray(0, begin.length - 1)), {
      code: 'CDC_DECODE_TRUNCATED',
    })
    assert.throws(() => decodePgoutput(Uint8Array.of(...begin, 0)), { code: 'CDC_DECODE_INVALID' })
    // Insert into relation 1 of one column sent in binary ('b').
    const binary = Uint8Array.of(0x49, 0, 0, 0, 1, 0x4e, 0, 1, 0x62, 0, 0, 0, 1, 7)
    assert.throws(() => decodePgoutput(binary), { code: 'CDC_DECODE_INVALID' })
  })

  it('reads xids and OIDs as unsigned', () => {
    const begin = Uint8Array.of(0x42, ...new Array<number>(16).fill(0), 0xff, 0xff, 0xff, 0xfe)
    const message = decodePgoutput(begin)
    assert.equal(message.tag === 'begin' ? message.xid : 0, 4294967294)
  })
})
