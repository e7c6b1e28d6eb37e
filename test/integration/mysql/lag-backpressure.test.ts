import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { mariadbConnectorPlugin } from '../../../connectors/mysql/mysql-plugin.ts'
import type { ConnectorConfig, SourceLag } from '../../../connectors/plugin.ts'
import type { Position } from '../../../connectors/ports.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { ConnectorRun } from './connector-run.ts'
import { MysqlScope } from './mysql-fixture.ts'

describe('MySQL/MariaDB connector: lag and backpressure', () => {
  let scope: MysqlScope

  beforeEach(async () => {
    scope = await MysqlScope.create()
  })

  afterEach(async () => {
    await scope.drop()
  })

  it('reports bytes and time behind the server, and the binlog files it keeps', async () => {
    await scope.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100))')
    const config = scope.config({ 'snapshot.mode': 'no_data', 'heartbeat.interval.ms': '0' })
    const run = new ConnectorRun(scope.name, config, null)
    try {
      await run.streaming()
      await scope.query("INSERT INTO t VALUES (1, 'a')")
      await run.events(1)
      await waitFor('the commit', () => (run.sink.committedEvents === 1 ? true : undefined))
    } finally {
      await run.stop()
    }
    const position = run.sink.lastPosition
    assert.ok(position !== null)
    await scope.query(`INSERT INTO t VALUES (2, REPEAT('x', 100))`)
    const behind = await lag(config, position)
    assert.equal(behind.position_retained, true)
    assert.ok(Number(behind.behind_bytes) > 100, `behind_bytes ${String(behind.behind_bytes)}`)
    assert.ok(Number(behind.retained_binlog_files) >= 1)
    assert.ok(Number(behind.retained_binlog_bytes) > 0)
    assert.equal(behind.position_file, position.file)
    assert.equal(typeof behind.ms_behind_source, 'number')
    assert.equal(behind.last_commit_ts_ms, position.ts_ms)
    const none = await lag(config, null)
    assert.equal(none.behind_bytes, null)
    assert.equal(typeof none.server_pos, 'number')
  })

  it('pauses the dump socket while the sink applies backpressure, then delivers everything', async () => {
    await scope.query('CREATE TABLE big (id INT PRIMARY KEY, payload LONGBLOB)')
    const run = new ConnectorRun(scope.name, scope.config({ 'snapshot.mode': 'no_data' }), null)
    const rowsWritten = 40
    const rowBytes = 512 * 1024
    try {
      await run.streaming()
      const release = run.sink.pauseEmits(1)
      for (let id = 1; id <= rowsWritten; id++) {
        await scope.query(`INSERT INTO big VALUES (${id}, REPEAT('p', ${rowBytes}))`)
      }
      const flow = await waitFor('the dump socket to pause', () =>
        run.task.binlogFlow?.paused === true ? run.task.binlogFlow : undefined,
      )
      // The buffer stops at its limit (4 MiB) plus the event that crossed it: far below
      // the 20 MiB written, which stay on the server until the sink has room.
      assert.ok(flow.bufferedBytes <= 4 * 1024 * 1024 + rowBytes + 4096, `${flow.bufferedBytes}`)
      assert.ok(run.sink.events.length <= 2)
      release()
      await run.events(rowsWritten, 60_000)
      const final = run.task.binlogFlow
      assert.ok(final !== null)
      assert.ok(final.peakBufferedBytes >= 4 * 1024 * 1024, 'the buffer filled up to its limit')
      assert.ok(
        final.peakBufferedBytes <= 4 * 1024 * 1024 + rowBytes + 4096,
        'the buffer never held more than its limit and one event',
      )
    } finally {
      await run.stop()
    }
    assert.equal(run.sink.events.length, rowsWritten)
  })
})

async function lag(config: ConnectorConfig, position: Position | null): Promise<SourceLag> {
  const result = await mariadbConnectorPlugin.lag?.(config, position)
  if (result === undefined) throw new Error('the plugin reports no lag')
  return result
}
