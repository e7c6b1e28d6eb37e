import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { captureTable } from '../../../../connectors/mysql/captured-table.ts'
import type { RawRow, TextRow } from '../../../../connectors/mysql/connection.ts'
import { decodePosition } from '../../../../connectors/mysql/position.ts'
import {
  runSnapshot,
  snapshotMarker,
  type SnapshotReader,
} from '../../../../connectors/mysql/snapshot.ts'
import type { ConnectorMonitor, TableSnapshotProgress } from '../../../../connectors/plugin.ts'
import type { ChangeSink, Position } from '../../../../connectors/ports.ts'
import type { ChangeEvent } from '../../../../envelope/change-event.ts'
import { column, table, testConfig } from './fixtures.ts'

class Reader implements SnapshotReader {
  readonly statements: string[] = []
  readonly #rows: Map<string, RawRow[]>
  onRow: (() => void) | null = null

  constructor(rows: Map<string, RawRow[]>) {
    this.#rows = rows
  }

  query(sql: string): Promise<TextRow[]> {
    this.statements.push(sql)
    return Promise.resolve([])
  }

  async streamRows(sql: string, onRow: (row: RawRow) => Promise<void>): Promise<number> {
    this.statements.push(sql)
    const name = /FROM `\w+`\.`(\w+)`/.exec(sql)?.[1] ?? ''
    const rows = this.#rows.get(name) ?? []
    for (const row of rows) {
      this.onRow?.()
      await onRow(row)
    }
    return rows.length
  }
}

class Sink implements ChangeSink {
  readonly events: ChangeEvent[] = []
  readonly commits: Position[] = []
  emit(event: ChangeEvent): Promise<void> {
    this.events.push(event)
    return Promise.resolve()
  }
  commit(position: Position): Promise<void> {
    this.commits.push(position)
    return Promise.resolve()
  }
}

function monitor(progress: TableSnapshotProgress[]): ConnectorMonitor {
  return {
    phase: () => undefined,
    snapshotProgress: (entry) => progress.push(entry),
    eventsSeen: () => undefined,
    behindSource: () => undefined,
  }
}

const settings = testConfig()
const tables = ['a', 'empty', 'b'].map((name) =>
  captureTable(
    settings,
    table('shop', name, [column('id', 'int', { nullable: false }), column('f', 'float')], ['id']),
  ),
)
const point = { file: 'mysql-bin.000002', pos: 77980, gtids: '0-1-35', exact: true }
const row = (id: number): RawRow => [Buffer.from(String(id)), null]

describe('connectors/mysql/snapshot', () => {
  it("resolves Debezium's snapshot markers", () => {
    assert.equal(snapshotMarker(true, false, true, false), 'first')
    assert.equal(snapshotMarker(false, true, false, true), 'last')
    assert.equal(snapshotMarker(false, false, false, true), 'last_in_data_collection')
    assert.equal(snapshotMarker(false, false, true, false), 'first_in_data_collection')
    assert.equal(snapshotMarker(false, false, false, false), 'true')
  })

  it('reads every table inside the snapshot and ends at its binlog point', async () => {
    const reader = new Reader(
      new Map([
        ['a', [row(1), row(2), row(3)]],
        ['b', [row(4)]],
      ]),
    )
    const sink = new Sink()
    const progress: TableSnapshotProgress[] = []
    const result = await runSnapshot({
      reader,
      point,
      tables,
      fetchSize: 2,
      sink,
      monitor: monitor(progress),
      signal: new AbortController().signal,
      source: { flavor: 'mariadb', version: '0.1.0', name: 'shop' },
    })
    assert.deepEqual(result, {
      file: point.file,
      pos: point.pos,
      gtids: point.gtids,
      snapshotCompleted: true,
      tsMs: null,
    })
    assert.deepEqual(
      sink.events.map((event) => [
        event.op,
        event.kind === 'row' ? event.after?.id : null,
        event.source.value.snapshot,
      ]),
      [
        ['r', 1, 'first'],
        ['r', 2, 'true'],
        ['r', 3, 'last_in_data_collection'],
        ['r', 4, 'last'],
      ],
    )
    const source = sink.events[0]?.source.value ?? {}
    assert.equal(source.file, point.file)
    assert.equal(source.pos, BigInt(point.pos))
    assert.equal(source.server_id, 0n)
    assert.equal(source.table, 'a')
    assert.deepEqual(reader.statements, [
      'SELECT `id`, CAST(`f` AS DOUBLE) FROM `shop`.`a`',
      'SELECT `id`, CAST(`f` AS DOUBLE) FROM `shop`.`empty`',
      'SELECT `id`, CAST(`f` AS DOUBLE) FROM `shop`.`b`',
      'COMMIT',
    ])
    // An intermediate commit after each fetch.size rows, then the completed snapshot.
    assert.deepEqual(
      sink.commits.map((position) => decodePosition(position).snapshotCompleted),
      [false, true],
    )
    assert.deepEqual(
      progress.filter((entry) => entry.done).map((entry) => [entry.table, entry.rowsDone]),
      [
        ['shop.a', 3],
        ['shop.empty', 0],
        ['shop.b', 1],
      ],
    )
  })

  it('stops at a row boundary when the signal aborts, committing an incomplete position', async () => {
    const reader = new Reader(new Map([['a', [row(1), row(2), row(3)]]]))
    const sink = new Sink()
    const abort = new AbortController()
    let seen = 0
    reader.onRow = () => {
      seen++
      if (seen === 3) abort.abort()
    }
    const result = await runSnapshot({
      reader,
      point,
      tables,
      fetchSize: 100,
      sink,
      monitor: monitor([]),
      signal: abort.signal,
      source: { flavor: 'mariadb', version: '0.1.0', name: 'shop' },
    })
    assert.equal(result, null)
    assert.deepEqual(
      sink.events.map((event) => (event.kind === 'row' ? event.after?.id : null)),
      [1, 2],
    )
    assert.deepEqual(
      sink.commits.map((position) => decodePosition(position).snapshotCompleted),
      [false],
    )
    assert.ok(!reader.statements.includes('COMMIT'))
  })

  it("commits the caller's positions when given (an ad-hoc snapshot keeps the stream's)", async () => {
    const reader = new Reader(new Map([['a', [row(1), row(2), row(3)]]]))
    const sink = new Sink()
    const streaming = { file: 'mysql-bin.000009', pos: 4, snapshot_completed: true }
    const result = await runSnapshot({
      reader,
      point,
      tables,
      fetchSize: 2,
      sink,
      monitor: monitor([]),
      signal: new AbortController().signal,
      source: { flavor: 'mariadb', version: '0.1.0', name: 'shop' },
      commitPosition: (completed) => (completed ? streaming : { ...streaming, pending: 'a' }),
    })
    assert.notEqual(result, null)
    assert.deepEqual(sink.commits, [{ ...streaming, pending: 'a' }, streaming])
  })
})
