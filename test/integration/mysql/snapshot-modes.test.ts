import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { decodePosition, encodePosition } from '../../../connectors/mysql/position.ts'
import { ConnectorRun, summary } from './connector-run.ts'
import { MysqlScope } from './mysql-fixture.ts'

describe('MySQL/MariaDB connector: snapshot modes', () => {
  let scope: MysqlScope

  beforeEach(async () => {
    scope = await MysqlScope.create()
    await scope.query('CREATE TABLE t (id INT PRIMARY KEY)')
    await scope.query('INSERT INTO t VALUES (1), (2)')
  })

  afterEach(async () => {
    await scope.drop()
  })

  async function streamOne(run: ConnectorRun, id: number, expected: number): Promise<void> {
    await run.streaming()
    await scope.query(`INSERT INTO t VALUES (${id})`)
    await run.events(expected)
  }

  it('initial: snapshot, then stream; a restart from a completed snapshot only streams', async () => {
    const first = new ConnectorRun(scope.name, scope.config(), null)
    try {
      await first.events(2)
      await streamOne(first, 3, 3)
    } finally {
      await first.stop()
    }
    assert.deepEqual(summary(first.sink.events), ['r:1', 'r:2', 'c:3'])
    const second = new ConnectorRun(scope.name, scope.config(), first.sink.lastPosition)
    try {
      await streamOne(second, 4, 1)
    } finally {
      await second.stop()
    }
    assert.deepEqual(summary(second.sink.events), ['c:4'])
  })

  it('initial_only: snapshot, then the run ends by itself; again it does nothing', async () => {
    const first = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.mode': 'initial_only' }),
      null,
    )
    await first.done
    assert.deepEqual(summary(first.sink.events), ['r:1', 'r:2'])
    assert.equal(decodePosition(first.sink.lastPosition ?? {}).snapshotCompleted, true)
    assert.ok(!first.monitor.phases.includes('streaming'))
    const second = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.mode': 'initial_only' }),
      first.sink.lastPosition,
    )
    await second.done
    assert.equal(second.sink.events.length, 0)
  })

  for (const mode of ['no_data', 'schema_only']) {
    it(`${mode}: no rows, stream from the current position`, async () => {
      const run = new ConnectorRun(scope.name, scope.config({ 'snapshot.mode': mode }), null)
      try {
        await streamOne(run, 3, 1)
      } finally {
        await run.stop()
      }
      assert.deepEqual(summary(run.sink.events), ['c:3'])
      assert.ok(!run.monitor.phases.includes('snapshot'))
    })
  }

  it('never: no snapshot, stream from the start of the oldest binlog file', async () => {
    const run = new ConnectorRun(scope.name, scope.config({ 'snapshot.mode': 'never' }), null)
    try {
      await run.events(2)
      await streamOne(run, 3, 3)
    } finally {
      await run.stop()
    }
    // The rows inserted before the connector started come from the binlog, as creates.
    assert.deepEqual(summary(run.sink.events), ['c:1', 'c:2', 'c:3'])
  })

  it('always: snapshot even with a stored position', async () => {
    const first = new ConnectorRun(scope.name, scope.config({ 'snapshot.mode': 'no_data' }), null)
    await first.streaming()
    await first.stop()
    const second = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.mode': 'always' }),
      first.sink.lastPosition,
    )
    try {
      await second.events(2)
      await streamOne(second, 3, 3)
    } finally {
      await second.stop()
    }
    assert.deepEqual(summary(second.sink.events), ['r:1', 'r:2', 'c:3'])
  })

  it('when_needed: a stored position the server does not have leads to a new snapshot', async () => {
    const gone = encodePosition({
      file: 'mysql-bin.999999',
      pos: 4,
      gtids: '',
      snapshotCompleted: true,
      tsMs: null,
    })
    const run = new ConnectorRun(scope.name, scope.config({ 'snapshot.mode': 'when_needed' }), gone)
    try {
      await run.events(2)
      await streamOne(run, 3, 3)
    } finally {
      await run.stop()
    }
    assert.deepEqual(summary(run.sink.events), ['r:1', 'r:2', 'c:3'])
  })

  it('when_needed: GTIDs the server never had lead to a new snapshot too', async () => {
    const gone = encodePosition({
      file: 'mysql-bin.000001',
      pos: 4,
      gtids: '0-1-999999999',
      snapshotCompleted: true,
      tsMs: null,
    })
    const run = new ConnectorRun(scope.name, scope.config({ 'snapshot.mode': 'when_needed' }), gone)
    try {
      await run.events(2)
      await run.streaming()
    } finally {
      await run.stop()
    }
    assert.deepEqual(summary(run.sink.events), ['r:1', 'r:2'])
  })
})
