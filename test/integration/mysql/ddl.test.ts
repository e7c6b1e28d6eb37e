import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { createMysqlTask } from '../../../connectors/mysql/mysql-plugin.ts'
import {
  schemaChangeRecord,
  type SchemaChangeEvent,
} from '../../../connectors/mysql/schema-change.ts'
import { validateValue } from '../../../envelope/validate-value.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { CollectingMonitor, CollectingSink, collectingContext } from './collecting-sink.ts'
import { ConnectorRun, rows } from './connector-run.ts'
import { MysqlScope } from './mysql-fixture.ts'

describe('MySQL/MariaDB connector: DDL while streaming', () => {
  let scope: MysqlScope

  beforeEach(async () => {
    scope = await MysqlScope.create()
  })

  afterEach(async () => {
    await scope.drop()
  })

  it('picks up new columns and tables and reports each DDL as a schema change', async () => {
    await scope.query('CREATE TABLE t (id INT PRIMARY KEY, a INT)')
    const sink = new CollectingSink()
    const monitor = new CollectingMonitor()
    const changes: SchemaChangeEvent[] = []
    const task = createMysqlTask(
      'mariadb',
      scope.config({ 'snapshot.mode': 'initial' }),
      collectingContext(scope.name, sink, monitor),
      {
        onSchemaChange: (change) => {
          changes.push(change)
          return Promise.resolve()
        },
      },
    )
    const abort = new AbortController()
    const done = task.run(null, abort.signal)
    try {
      await waitFor('streaming', () => (monitor.phases.includes('streaming') ? true : undefined))
      // Each statement waits until the connector has read the one before: DDL mid-stream.
      const step = async (sql: string, events: number, schemaChanges: number) => {
        await scope.query(sql)
        await waitFor(`${sql} to be read`, () =>
          sink.events.length >= events && changes.length >= schemaChanges ? true : undefined,
        )
      }
      await step('INSERT INTO t VALUES (1, 10)', 1, 1)
      await step("ALTER TABLE t ADD COLUMN b VARCHAR(10) NOT NULL DEFAULT 'x'", 1, 2)
      await step("INSERT INTO t VALUES (2, 20, 'y')", 2, 2)
      await step('CREATE TABLE u (k VARCHAR(5) PRIMARY KEY)', 2, 3)
      await step("INSERT INTO u VALUES ('q')", 3, 3)
      await step('RENAME TABLE u TO w', 3, 4)
      await step("INSERT INTO w VALUES ('r')", 4, 4)
      await step('DROP TABLE w', 4, 5)
    } finally {
      abort.abort()
      await done
    }
    const events = rows(sink.events)
    assert.deepEqual(events[0]?.after, { id: 1, a: 10 })
    assert.deepEqual(events[1]?.after, { id: 2, a: 20, b: 'y' })
    assert.deepEqual(
      events[1].table.columns.map((column) => column.name),
      ['id', 'a', 'b'],
    )
    assert.equal(events[2]?.table.topic, `test.${scope.database}.u`)
    assert.equal(events[3]?.table.topic, `test.${scope.database}.w`)
    // The snapshot describes the existing table, then each DDL follows in stream order.
    assert.deepEqual(
      changes.map((change) =>
        change.tableChanges.map((table) => `${table.type}:${table.def.table}`).join(' '),
      ),
      ['CREATE:t', 'ALTER:t', 'CREATE:u', 'DROP:u CREATE:w', 'DROP:w'],
    )
    const ddl = changes.slice(1).map((change) => change.ddl.replace(/\s+/g, ' '))
    assert.ok(ddl[0]?.startsWith('ALTER TABLE t ADD COLUMN b'))
    const record = schemaChangeRecord(changes[1] as SchemaChangeEvent)
    if (record.key === null || record.value === null) {
      throw new Error('a record without key or value')
    }
    assert.equal(record.topic, 'test')
    assert.deepEqual(record.key.value, { databaseName: scope.database })
    assert.equal(record.value.schema.name, 'io.debezium.connector.mariadb.SchemaChangeValue')
    validateValue(record.key.schema, record.key.value, record.topic, 'key')
    validateValue(record.value.schema, record.value.value, record.topic, 'value')
    const alter = (changes[1] as SchemaChangeEvent).tableChanges[0]
    assert.deepEqual(
      alter?.def.columns.map((column) => column.name),
      ['id', 'a', 'b'],
    )
  })

  it('decodes rows written before a DDL that information_schema already shows by their table map', async () => {
    await scope.query('CREATE TABLE t (id INT PRIMARY KEY, a INT, c VARCHAR(5))')
    const first = new ConnectorRun(scope.name, scope.config({ 'snapshot.mode': 'no_data' }), null)
    await first.streaming()
    await first.stop()
    // While the connector is down, rows are written under two definitions of the table.
    await scope.query("INSERT INTO t VALUES (1, 10, 'x')")
    await scope.query('ALTER TABLE t DROP COLUMN a')
    await scope.query("INSERT INTO t VALUES (2, 'y')")
    const second = new ConnectorRun(
      scope.name,
      scope.config({ 'snapshot.mode': 'no_data' }),
      first.sink.lastPosition,
    )
    try {
      await second.events(2)
    } finally {
      await second.stop()
    }
    const [old, current] = rows(second.sink.events)
    assert.deepEqual(old?.after, { id: 1, a: 10, c: 'x' })
    assert.deepEqual(current?.after, { id: 2, c: 'y' })
  })
})
