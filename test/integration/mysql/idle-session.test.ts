// The connector reads table schemas again at each DDL it streams past, on a session that
// may have sat idle for hours; the server closes such sessions after wait_timeout (8 h by
// default) while the dump goes on. The next DDL must open a new session, not fail the run.
// wait_timeout is a global setting, so this runs on a server of its own.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cleanups } from '../../helpers/cleanups.ts'
import { PrivateMariadb } from '../../helpers/private-mariadb.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { ConnectorRun, rows, summary } from './connector-run.ts'
import { MysqlScope } from './mysql-fixture.ts'

describe('MySQL/MariaDB connector: idle sessions', () => {
  it('streams past a DDL after the server closed its idle schema session', async (t) => {
    const defer = cleanups(t)
    const server = await PrivateMariadb.create({ args: ['--wait-timeout=2'] })
    defer(() => server.destroy())
    const scope = await MysqlScope.create(server)
    // The scope's own session is closed by the same timeout; it is only let go.
    defer(() => {
      scope.admin.destroy()
    })
    await scope.query('CREATE TABLE t (id INT PRIMARY KEY)')
    const run = new ConnectorRun(scope.name, scope.config({ 'snapshot.mode': 'no_data' }), null)
    defer(() => run.stop())
    await run.streaming()
    await scope.query('INSERT INTO t VALUES (1)')
    await run.events(1)

    // Every session but the dump and this probe's is gone once nothing is left sleeping.
    const probe = await server.connect()
    defer(() => probe.end())
    await waitFor('the server to close the idle sessions', async () => {
      const [sleeping] = await probe.query(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE COMMAND = 'Sleep' AND ID <> CONNECTION_ID()",
      )
      return Number((sleeping as { n: string }[])[0]?.n) === 0 ? true : undefined
    })
    const writer = await server.connect(scope.database)
    defer(() => writer.end())
    await writer.query('ALTER TABLE t ADD COLUMN v INT')
    await writer.query('INSERT INTO t VALUES (2, 20)')
    await run.events(2)
    assert.deepEqual(summary(run.sink.events), ['c:1', 'c:2'])
    assert.deepEqual(rows(run.sink.events)[1]?.after, { id: 2, v: 20 })
  })
})
