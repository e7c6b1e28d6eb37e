import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import type { CapturedTable } from '../../../../connectors/mysql/captured-table.ts'
import { captureTable } from '../../../../connectors/mysql/captured-table.ts'
import {
  ChangeStream,
  type ChangeStreamOptions,
} from '../../../../connectors/mysql/change-stream.ts'
import type { DdlEffect } from '../../../../connectors/mysql/ddl-statement.ts'
import type { DdlOutcome } from '../../../../connectors/mysql/schema-tracker.ts'
import { decodePosition, type MysqlPosition } from '../../../../connectors/mysql/position.ts'
import {
  ColumnType,
  readBinlogFile,
  type TableMap,
} from '../../../../connectors/mysql/protocol/index.ts'
import { tableDefFromMap } from '../../../../connectors/mysql/table-map-match.ts'
import type { ConnectorMonitor } from '../../../../connectors/plugin.ts'
import type { ChangeSink, Position } from '../../../../connectors/ports.ts'
import type { ChangeEvent } from '../../../../envelope/change-event.ts'
import { isCdcError } from '../../../../common/errors.ts'
import {
  heartbeat,
  insertRows,
  mysqlGtid,
  query,
  sid,
  tableMapEvent,
  xid,
} from './binlog-events.ts'
import { mapColumn, tableMap, testConfig } from './fixtures.ts'

const collations = new Map([
  [8, 'latin1'],
  [33, 'utf8mb3'],
  [45, 'utf8mb4'],
  [46, 'utf8mb4'],
  [63, 'binary'],
  [224, 'utf8mb4'],
])

/** A schema stand-in that describes every table of one database from its table maps. */
class MapSchemas {
  readonly #database: string
  readonly #byMap = new WeakMap<TableMap, CapturedTable>()
  readonly #byName = new Map<string, CapturedTable>()
  readonly ddl: DdlEffect[] = []

  constructor(database: string) {
    this.#database = database
  }

  onTableMap(map: TableMap): Promise<CapturedTable | null> {
    if (map.database !== this.#database) return Promise.resolve(null)
    const captured = captureTable(testConfig(), tableDefFromMap(map, collations, null))
    this.#byMap.set(map, captured)
    this.#byName.set(map.table, captured)
    return Promise.resolve(captured)
  }

  forRows(map: TableMap): CapturedTable | undefined {
    return this.#byMap.get(map)
  }

  onDdl(effect: DdlEffect): Promise<DdlOutcome> {
    this.ddl.push(effect)
    const truncated = effect.truncated
      .map((ref) => this.#byName.get(ref.table))
      .filter((table) => table !== undefined)
    return Promise.resolve({ changes: [], truncated, captured: truncated.length > 0 })
  }
}

class Sink implements ChangeSink {
  readonly events: ChangeEvent[] = []
  readonly commits: Position[] = []
  fail: Error | null = null
  emit(event: ChangeEvent): Promise<void> {
    this.events.push(event)
    return Promise.resolve()
  }
  commit(position: Position): Promise<void> {
    this.commits.push(position)
    return this.fail === null ? Promise.resolve() : Promise.reject(this.fail)
  }
}

const monitor: ConnectorMonitor = {
  phase: () => undefined,
  snapshotProgress: () => undefined,
  eventsSeen: () => undefined,
  behindSource: () => undefined,
}

function stream(
  sink: Sink,
  schemas: MapSchemas,
  start: MysqlPosition,
  extra: Partial<ChangeStreamOptions> = {},
) {
  return new ChangeStream({
    sink,
    monitor,
    schemas,
    source: { flavor: 'mariadb', version: '0.1.0', name: 'shop' },
    mariadb: true,
    provideTransactionMetadata: false,
    includeQuery: false,
    heartbeatIntervalMs: 0,
    start,
    ...extra,
  })
}

const summary = (events: readonly ChangeEvent[]) =>
  events.map((event) =>
    event.kind === 'row'
      ? `${event.op}:${JSON.stringify((event.after ?? event.before)?.id)}`
      : event.op,
  )

describe('connectors/mysql/change-stream', () => {
  it('turns a recorded MariaDB binlog into events and commits at each transaction end', async () => {
    const dir = new URL('../../../fixtures/binlog/mariadb/', import.meta.url)
    const events = [
      ...readBinlogFile(readFileSync(new URL('dml.bin', dir)), { file: 'mysql-bin.000001' }),
    ]
    const sink = new Sink()
    const schemas = new MapSchemas('cdc_test')
    const changes = stream(sink, schemas, {
      file: 'mysql-bin.000001',
      pos: 4,
      gtids: '0-1-1',
      snapshotCompleted: true,
      tsMs: null,
    })
    for (const event of events) await changes.handle(event)
    await changes.finish()
    assert.deepEqual(summary(sink.events), [
      'c:1',
      'c:2',
      'c:3',
      'u:1',
      'u:2',
      'd:3',
      'c:4',
      'u:5',
      'd:1',
      't',
    ])
    const after = sink.events[6]?.kind === 'row' ? sink.events[6].after : null
    assert.deepEqual(after, { id: 4, name: 'd', qty: null, note: 'after alter' })
    assert.deepEqual(
      schemas.ddl.map((effect) => effect.statement),
      ['CREATE TABLE', 'ALTER TABLE', 'TRUNCATE TABLE', 'DROP TABLE'],
    )
    // Five DML transactions and the TRUNCATE, then the last boundary at finish().
    const positions = sink.commits.map(decodePosition)
    assert.equal(positions.length, 7)
    const xids = events.filter((event) => event.kind === 'xid')
    assert.deepEqual(
      positions.slice(0, 5).map((position) => position.pos),
      xids.map((event) => event.header.logPos),
    )
    const gtids = events.filter((event) => event.kind === 'mariadbGtid').map((event) => event.gtid)
    assert.equal(positions.at(-1)?.gtids, gtids.at(-1))
    assert.ok(positions.every((position) => position.snapshotCompleted))
    const first = sink.events[0]
    assert.equal(first?.source.value.gtid, gtids[1])
    assert.deepEqual(
      sink.events.slice(0, 3).map((event) => event.source.value.row),
      [0, 1, 2],
    )
  })

  it('emits the rows of an XA transaction at its PREPARE, and nothing at its COMMIT', async () => {
    const dir = new URL('../../../fixtures/binlog/mariadb/', import.meta.url)
    const events = [
      ...readBinlogFile(readFileSync(new URL('xa.bin', dir)), { file: 'mysql-bin.000001' }),
    ]
    const sink = new Sink()
    const changes = stream(sink, new MapSchemas('cdc_test'), {
      file: 'mysql-bin.000001',
      pos: 4,
      gtids: '0-1-1',
      snapshotCompleted: true,
      tsMs: null,
    })
    for (const event of events) {
      await changes.handle(event)
      if (event.kind === 'xaPrepare') {
        assert.deepEqual(summary(sink.events), ['c:1'])
        assert.ok(!changes.inTransaction)
        assert.equal(decodePosition(sink.commits.at(-1) ?? {}).pos, event.header.logPos)
      }
    }
    assert.deepEqual(summary(sink.events), ['c:1'])
  })

  const orders = tableMap('shop', 'orders', [
    mapColumn(0, ColumnType.LONG, { name: 'id', nullable: false }),
  ])
  orders.primaryKey = [{ column: 0, prefix: 0 }]
  const mysqlStart: MysqlPosition = {
    file: 'binlog.000001',
    pos: 100,
    gtids: `${sid}:1-10`,
    snapshotCompleted: true,
    tsMs: null,
  }

  it('follows MySQL transactions: GTID, BEGIN, rows, XID; DDL without BEGIN ends at its statement', async () => {
    const sink = new Sink()
    const changes = stream(sink, new MapSchemas('shop'), mysqlStart, {
      mariadb: false,
      provideTransactionMetadata: true,
    })
    await changes.handle(mysqlGtid(11n, 200))
    await changes.handle(query('BEGIN', 260))
    assert.ok(changes.inTransaction)
    await changes.handle(tableMapEvent(orders, 300))
    await changes.handle(insertRows(orders, [[1], [2]], 360))
    assert.equal(sink.commits.length, 0, 'nothing is committed inside a transaction')
    await changes.handle(xid(400))
    assert.ok(!changes.inTransaction)
    await changes.handle(mysqlGtid(12n, 450))
    await changes.handle(query('ALTER TABLE orders ADD COLUMN x INT', 520))
    assert.ok(!changes.inTransaction)
    await changes.handle(mysqlGtid(13n, 580, true))
    await changes.handle(query('BEGIN', 620))
    await changes.handle(query('SAVEPOINT a', 660))
    assert.ok(changes.inTransaction, 'a savepoint does not end the transaction')
    await changes.handle(tableMapEvent(orders, 700))
    await changes.handle(insertRows(orders, [[3]], 760))
    await changes.handle(query('COMMIT', 800))
    await changes.finish()
    assert.deepEqual(summary(sink.events), ['c:1', 'c:2', 'c:3'])
    const [first] = sink.events
    assert.equal(first?.source.value.gtid, `${sid}:11`)
    assert.equal(first.source.value.thread, 99n)
    assert.equal(first.source.value.ts_us, 1_700_000_000_123_456n, 'original commit time')
    assert.equal(first.source.value.server_id, 7n)
    assert.deepEqual(first.transaction, {
      id: `${sid}:11`,
      totalOrder: 1n,
      dataCollectionOrder: 1n,
    })
    const third = sink.events[2]
    assert.equal(third?.transaction?.id, 'binlog.000001:540', 'anonymous: file:pos of its start')
    const positions = sink.commits.map(decodePosition)
    assert.deepEqual(
      positions.map((position) => [position.pos, position.gtids]),
      [
        [400, `${sid}:1-11`],
        [800, `${sid}:1-12`],
      ],
    )
  })

  it('reads the events inside a TRANSACTION_PAYLOAD, ending at the payload', async () => {
    const sink = new Sink()
    const changes = stream(sink, new MapSchemas('shop'), mysqlStart, { mariadb: false })
    const inner = [
      mysqlGtid(11n, 0),
      query('BEGIN', 0),
      tableMapEvent(orders, 0),
      insertRows(orders, [[1]], 0),
      xid(0),
    ]
    await changes.handle({
      ...xid(900),
      kind: 'transactionPayload',
      compression: 'zstd',
      compressedSize: 1,
      uncompressedSize: 1,
      events: inner,
    })
    assert.deepEqual(summary(sink.events), ['c:1'])
    assert.equal(decodePosition(sink.commits[0] ?? {}).pos, 900)
  })

  it('commits transactions without captured rows at most once per heartbeat interval', async () => {
    const sink = new Sink()
    const changes = stream(sink, new MapSchemas('shop'), mysqlStart, {
      mariadb: false,
      heartbeatIntervalMs: 60_000,
    })
    const other = tableMap('other', 't', [mapColumn(0, ColumnType.LONG, { name: 'id' })])
    await changes.handle(mysqlGtid(11n, 200))
    await changes.handle(query('BEGIN', 260))
    await changes.handle(tableMapEvent(other, 300))
    await changes.handle(insertRows(other, [[1]], 360))
    await changes.handle(xid(400))
    await changes.handle(heartbeat(400))
    assert.equal(sink.commits.length, 0, 'the interval has not passed since the start')
    await changes.finish()
    assert.deepEqual(decodePosition(sink.commits[0] ?? {}).pos, 400, 'a clean stop commits it')
    const zero = new Sink()
    const idle = stream(zero, new MapSchemas('shop'), mysqlStart, {
      mariadb: false,
      heartbeatIntervalMs: 1,
    })
    await idle.handle(mysqlGtid(11n, 200))
    await idle.handle(query('BEGIN', 260))
    await new Promise((resolve) => setImmediate(resolve))
    await idle.handle(xid(400))
    assert.equal(zero.commits.length, 1)
  })

  it('fails on an INCIDENT and on a failed commit', async () => {
    const changes = stream(new Sink(), new MapSchemas('shop'), mysqlStart, { mariadb: false })
    await assert.rejects(
      changes.handle({ ...xid(10), kind: 'incident', incident: 1, message: 'LOST_EVENTS' }),
      (error: unknown) => isCdcError(error) && error.code === 'CDC_MYSQL_BINLOG_INCIDENT',
    )
    const sink = new Sink()
    sink.fail = new Error('kafka down')
    const failing = stream(sink, new MapSchemas('shop'), mysqlStart, { mariadb: false })
    await failing.handle(mysqlGtid(11n, 200))
    await failing.handle(query('BEGIN', 260))
    await failing.handle(tableMapEvent(orders, 300))
    await failing.handle(insertRows(orders, [[1]], 360))
    await failing.handle(xid(400))
    await assert.rejects(failing.finish(), /kafka down/)
    await assert.rejects(failing.handle(heartbeat(400)), /kafka down/)
  })
})
