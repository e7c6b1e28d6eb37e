import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { decodePosition } from '../../../connectors/mysql/position.ts'
import type { Position } from '../../../connectors/ports.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { ConnectorRun, rows, summary } from './connector-run.ts'
import { MysqlScope } from './mysql-fixture.ts'

describe('MySQL/MariaDB connector: streaming', () => {
  let scope: MysqlScope

  beforeEach(async () => {
    scope = await MysqlScope.create()
    await scope.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))')
    await scope.query('CREATE TABLE other (id INT PRIMARY KEY)')
  })

  afterEach(async () => {
    await scope.drop()
  })

  it('emits inserts, updates, deletes and truncates with the source block of each row', async () => {
    const run = new ConnectorRun(
      scope.name,
      scope.config({
        'snapshot.mode': 'no_data',
        'provide.transaction.metadata': 'true',
        'include.query': 'true',
      }),
      null,
    )
    try {
      await run.streaming()
      await scope.query(
        "BEGIN; INSERT INTO t VALUES (1, 'a'), (2, 'b'); INSERT INTO other VALUES (9); UPDATE t SET v = 'z' WHERE id = 1; COMMIT",
      )
      await scope.query('DELETE FROM t WHERE id = 2')
      await scope.query('TRUNCATE TABLE t')
      await run.events(6)
    } finally {
      await run.stop()
    }
    assert.deepEqual(
      run.sink.events.map(
        (event) => `${event.op}:${event.kind === 'row' ? event.table.id.table : ''}`,
      ),
      ['c:t', 'c:t', 'c:other', 'u:t', 'd:t', 't:'],
    )
    const [first, second, , update] = rows(run.sink.events)
    const source = first?.source.value ?? {}
    assert.equal(source.connector, 'mariadb')
    assert.equal(first?.source.schema.name, 'io.debezium.connector.mariadb.Source')
    assert.equal(source.db, scope.database)
    assert.equal(source.table, 't')
    assert.equal(source.snapshot, 'false')
    assert.equal(source.server_id, 1n)
    assert.match(source.gtid as string, /^0-1-\d+$/)
    assert.equal(source.row, 0)
    assert.equal(second?.source.value.row, 1)
    assert.equal(second.source.value.pos, source.pos, 'both rows of one event share its position')
    assert.match(source.query as string, /INSERT INTO t VALUES \(1, 'a'\), \(2, 'b'\)/)
    assert.deepEqual(update?.before, { id: 1, v: 'a' })
    assert.deepEqual(update.after, { id: 1, v: 'z' })
    assert.equal(first.transaction?.id, source.gtid)
    assert.deepEqual(
      rows(run.sink.events)
        .slice(0, 4)
        .map((event) => [event.transaction?.totalOrder, event.transaction?.dataCollectionOrder]),
      [
        [1n, 1n],
        [2n, 2n],
        [3n, 1n],
        [4n, 3n],
      ],
    )
    assert.ok(run.monitor.behind.length > 0)
  })

  it('resumes from a committed position without losing or repeating committed transactions', async () => {
    const first = new ConnectorRun(scope.name, scope.config({ 'snapshot.mode': 'no_data' }), null)
    let afterFirst: Position | null
    try {
      await first.streaming()
      await scope.query("INSERT INTO t VALUES (1, 'a')")
      await first.events(1)
      await waitFor('the commit of transaction 1', () =>
        first.sink.committedEvents === 1 ? true : undefined,
      )
      afterFirst = first.sink.lastPosition
      await scope.query("INSERT INTO t VALUES (2, 'b')")
      await scope.query("INSERT INTO t VALUES (3, 'c')")
      await first.events(3)
    } finally {
      await first.stop()
    }
    await scope.query("INSERT INTO t VALUES (4, 'd')")
    // As after a crash that lost the commits of transactions 2 and 3: they are read again,
    // transaction 1 is not.
    const second = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.mode': 'no_data' }),
      afterFirst,
    )
    try {
      await second.events(3)
      await second.streaming()
    } finally {
      await second.stop()
    }
    assert.deepEqual(summary(second.sink.events), ['c:2', 'c:3', 'c:4'])
    // And from the last committed position of the second run, nothing is repeated.
    const third = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.mode': 'no_data' }),
      second.sink.lastPosition,
    )
    try {
      await third.streaming()
      await scope.query("INSERT INTO t VALUES (5, 'e')")
      await third.events(1)
    } finally {
      await third.stop()
    }
    assert.deepEqual(summary(third.sink.events), ['c:5'])
  })

  it('commits positions only at transaction boundaries, with the GTID position', async () => {
    // No heartbeat commits: other tests' transactions must not add positions here.
    const run = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.mode': 'no_data', 'heartbeat.interval.ms': '0' }),
      null,
    )
    try {
      await run.streaming()
      await scope.query(
        "BEGIN; INSERT INTO t VALUES (1, 'a'); INSERT INTO t VALUES (2, 'b'); COMMIT",
      )
      await run.events(2)
      await waitFor('a commit after the transaction', () =>
        run.sink.committedEvents === 2 ? true : undefined,
      )
    } finally {
      await run.stop()
    }
    const [start, afterTransaction] = run.sink.commits.map(decodePosition)
    assert.ok(start !== undefined && afterTransaction !== undefined)
    const gtid = rows(run.sink.events)[0]?.source.value.gtid
    assert.equal(afterTransaction.gtids, gtid, 'the position includes the transaction')
    // Both rows were in one transaction: no position was committed between them.
    assert.equal(run.sink.commits.length, 2)
    assert.ok(afterTransaction.pos > Number(rows(run.sink.events)[1]?.source.value.pos))
  })

  it('commits the position of transactions on other tables at the heartbeat interval', async () => {
    const run = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.mode': 'no_data', 'table.include.list': `${scope.database}.t` }),
      null,
    )
    try {
      await run.streaming()
      const before = run.sink.commits.length
      await scope.query('INSERT INTO other VALUES (1)')
      await waitFor('a heartbeat commit', () =>
        run.sink.commits.length > before ? true : undefined,
      )
    } finally {
      await run.stop()
    }
    assert.equal(run.sink.events.length, 0)
  })
})
