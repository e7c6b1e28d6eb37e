import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MariadbGtidPosition, MysqlGtidSet } from '../../../../connectors/mysql/gtid.ts'
import { isCdcError } from '../../../../common/errors.ts'

const uuid = '3e11fa47-71ca-11e1-9e33-c80aa9429562'
const other = '00000000-0000-0000-0000-000000000001'

const invalid = (error: unknown) =>
  isCdcError(error) && error.code === 'CDC_MYSQL_POSITION_UNAVAILABLE'

describe('connectors/mysql/gtid', () => {
  it('parses and prints a MariaDB GTID position in domain order', () => {
    const position = MariadbGtidPosition.parse(' 1-2-17, 0-1-240 ')
    assert.equal(position.toString(), '0-1-240,1-2-17')
    assert.equal(position.get(1)?.sequence, 17n)
    position.apply({ domain: 0, server: 3, sequence: 241n })
    position.apply({ domain: 5, server: 1, sequence: 18446744073709551615n })
    assert.equal(position.toString(), '0-3-241,1-2-17,5-1-18446744073709551615')
    assert.ok(MariadbGtidPosition.parse('').isEmpty)
  })

  it('refuses malformed MariaDB positions', () => {
    assert.throws(() => MariadbGtidPosition.parse('0-1'), invalid)
    assert.throws(() => MariadbGtidPosition.parse('0-1-2,0-3-4'), invalid)
    assert.throws(() => MariadbGtidPosition.parse('a-b-c'), invalid)
  })

  it('parses, merges and prints MySQL GTID sets', () => {
    const set = MysqlGtidSet.parse(`${uuid.toUpperCase()}:1-5:7, ${other}:3`)
    assert.equal(set.toString(), `${other}:3,${uuid}:1-5:7`)
    set.add(uuid, 6n)
    assert.equal(set.toString(), `${other}:3,${uuid}:1-7`)
    set.add(other, 1n)
    set.add(other, 2n)
    assert.equal(set.toString(), `${other}:1-3,${uuid}:1-7`)
    assert.ok(set.contains(uuid, 7n))
    assert.ok(!set.contains(uuid, 8n))
    assert.deepEqual(set.entries()[1]?.intervals, [{ start: 1n, end: 8n }])
    assert.equal(MysqlGtidSet.parse(`${uuid}:1-3:2-9`).toString(), `${uuid}:1-9`)
  })

  it('refuses malformed and tagged MySQL GTID sets', () => {
    assert.throws(() => MysqlGtidSet.parse('nouuid:1-3'), invalid)
    assert.throws(() => MysqlGtidSet.parse(uuid), invalid)
    assert.throws(() => MysqlGtidSet.parse(`${uuid}:5-3`), invalid)
    assert.throws(() => MysqlGtidSet.parse(`${uuid}:tag:1-3`), invalid)
    assert.throws(() => MysqlGtidSet.parse(`${uuid}:0`), invalid)
  })
})
