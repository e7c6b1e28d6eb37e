// Decodes binlog files recorded from real MySQL servers (mysql-binlog-connector-java's test
// data, kept outside the project in /work/shared). Expected values were checked against
// `mariadb-binlog -vv`, the binlog headers, and well-known facts (Sakila's table sizes).
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { isCdcError } from '../../../../../common/errors.ts'
import {
  readBinlogFile,
  splitBinlogFile,
} from '../../../../../connectors/mysql/protocol/binlog-file.ts'
import type { BinlogEvent, RowsEvent } from '../../../../../connectors/mysql/protocol/events.ts'
import { valueText } from './canonical.ts'

const dir = new URL('../../../../../../shared/fixtures/mysql-binlog/', import.meta.url)

/** The file's bytes, or undefined (and the test skipped) when /work/shared is not there. */
function fixture(t: TestContext, name: string): Buffer | undefined {
  const url = new URL(name, dir)
  if (!existsSync(url)) {
    t.skip(
      `MySQL binlog fixtures not found at ${url.pathname} (the shared fixtures folder is absent in a plain clone)`,
    )
    return undefined
  }
  const data = readFileSync(url)
  return name.endsWith('.gz') ? gunzipSync(data) : data
}

function decodeAll(data: Buffer, file: string): BinlogEvent[] {
  return [...readBinlogFile(data, { file })]
}

function countTypes(events: readonly BinlogEvent[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const event of events) {
    const name = event.typeName ?? `type ${event.header.type}`
    counts[name] = (counts[name] ?? 0) + 1
  }
  return counts
}

function rowsText(event: RowsEvent, image: 'before' | 'after', row = 0): (string | null)[] {
  const values = event.rows[row]?.[image] ?? []
  return event.table.columns.map((column) => {
    const value = values[column.index]
    return value === undefined ? '<absent>' : valueText(value, column)
  })
}

function rowsEvents(events: readonly BinlogEvent[]): RowsEvent[] {
  return events.filter((e): e is RowsEvent => e.kind === 'rows')
}

describe('MySQL 5.7 binlog, CRC32 (mysql-bin.checksum-crc32)', () => {
  it('decodes every event, v2 rows and anonymous GTIDs', (t) => {
    const data = fixture(t, 'mysql-bin.checksum-crc32')
    if (data === undefined) return
    const events = decodeAll(data, 'mysql-bin.000001')
    assert.deepEqual(countTypes(events), {
      FORMAT_DESCRIPTION_EVENT: 1,
      PREVIOUS_GTIDS_LOG_EVENT: 1,
      ANONYMOUS_GTID_LOG_EVENT: 60,
      QUERY_EVENT: 60,
      TABLE_MAP_EVENT: 60,
      WRITE_ROWS_EVENT: 34,
      UPDATE_ROWS_EVENT: 20,
      DELETE_ROWS_EVENT: 6,
      XID_EVENT: 60,
      ROTATE_EVENT: 1,
    })
    const [format] = events
    assert.equal(format?.kind, 'formatDescription')
    assert.equal(format.serverVersion, '5.7.21-log')
    assert.equal(format.checksum, 'crc32')
    const gtid = events.find((e) => e.kind === 'mysqlGtid')
    assert.equal(gtid?.kind, 'mysqlGtid')
    assert.equal(gtid.anonymous, true)
    assert.equal(gtid.gtid, null)
    assert.deepEqual([gtid.lastCommitted, gtid.sequenceNumber], [0n, 1n])
    const rotate = events.at(-1)
    assert.equal(rotate?.kind, 'rotate')
    assert.deepEqual(
      [rotate.nextFile, rotate.nextPosition, rotate.position],
      ['mysql-bin.000002', 4n, 27937],
    )
  })

  it('decodes row values (checked against mariadb-binlog -vv)', (t) => {
    const data = fixture(t, 'mysql-bin.checksum-crc32')
    if (data === undefined) return
    const rows = rowsEvents(decodeAll(data, 'mysql-bin.000001'))
    const first = rows[0]
    assert.ok(first !== undefined)
    assert.equal(`${first.table.database}.${first.table.table}`, 'simu_file_dev.folder')
    assert.equal(first.version, 2)
    assert.deepEqual(first.extraData?.raw.length, 0)
    const stamp = '2018-05-04 08:31:59'
    assert.deepEqual(rowsText(first, 'after'), [
      '12300113',
      'test2',
      '/',
      '116103',
      stamp,
      '906703',
      '0',
      '0',
      '0',
      stamp,
      '0',
      '12200009',
    ])
    const update = rows.find((e) => e.action === 'update')
    assert.ok(update !== undefined)
    assert.equal(rowsText(update, 'before')[1], 'Balance(magazine)-04-2.3.001-bigpicture_04_2.jpg')
    assert.equal(rowsText(update, 'after')[1], '陶瓷.jpg')
    assert.equal(rowsText(update, 'after')[8], '449847')
  })

  it('fails with CDC_DECODE_CHECKSUM when a byte of an event changes', (t) => {
    const data = fixture(t, 'mysql-bin.checksum-crc32')
    if (data === undefined) return
    const corrupt = Buffer.from(data)
    const write = [...splitBinlogFile(corrupt)].find((e) => e.bytes.readUInt8(4) === 30)
    assert.ok(write !== undefined)
    corrupt.writeUInt8(corrupt.readUInt8(write.position + 30) ^ 0x01, write.position + 30)
    assert.throws(
      () => decodeAll(corrupt, 'mysql-bin.000001'),
      (error: unknown) =>
        isCdcError(error) &&
        error.code === 'CDC_DECODE_CHECKSUM' &&
        error.message.includes('WRITE_ROWS_EVENT (30)') &&
        error.message.includes(`mysql-bin.000001:${write.position}`),
    )
  })
})

describe('MySQL 5.7 binlog, checksums off (mysql-bin.checksum-none)', () => {
  it('decodes every event without CRC trailers', (t) => {
    const data = fixture(t, 'mysql-bin.checksum-none')
    if (data === undefined) return
    const events = decodeAll(data, 'mysql-bin.000001')
    assert.deepEqual(countTypes(events), {
      FORMAT_DESCRIPTION_EVENT: 1,
      PREVIOUS_GTIDS_LOG_EVENT: 1,
      ANONYMOUS_GTID_LOG_EVENT: 40,
      QUERY_EVENT: 40,
      TABLE_MAP_EVENT: 36,
      WRITE_ROWS_EVENT: 34,
      UPDATE_ROWS_EVENT: 2,
      XID_EVENT: 36,
      STOP_EVENT: 1,
    })
    const [format] = events
    assert.equal(format?.kind, 'formatDescription')
    assert.equal(format.checksum, 'none')
    assert.equal(events.at(-1)?.kind, 'stop')
    const update = rowsEvents(events).find((e) => e.action === 'update')
    assert.ok(update !== undefined)
    assert.deepEqual(rowsText(update, 'before'), [
      '42b0a771-9345-4b19-b503-d51b5fff30ef',
      '2018-10-30 18:02:09',
      '2018-10-30 18:02:09',
      '086',
      'zh-cn',
      '18888888888',
      'test_nickname',
      '14e1b600b1fd579f47433b88e8d85291',
      'test_user_name',
    ])
    const ddl = events.find((e) => e.kind === 'query' && e.query.startsWith('CREATE DATABASE'))
    assert.equal(ddl?.kind, 'query')
    assert.equal(ddl.schema, 'account_db')
    assert.deepEqual(ddl.statusVars.charset, { client: 33, connection: 33, server: 8 })
  })
})

describe('Aurora MySQL 5.7 binlog with padding (mysql-bin.aurora-padding)', () => {
  it('returns the ignorable unknown event 100 instead of failing or dropping it', (t) => {
    const data = fixture(t, 'mysql-bin.aurora-padding')
    if (data === undefined) return
    const events = decodeAll(data, 'mysql-bin.aurora')
    assert.deepEqual(
      events.map((e) => e.kind),
      ['formatDescription', 'previousGtids', 'mysqlGtid', 'ignorable', 'query'],
    )
    const padding = events[3]
    assert.equal(padding?.kind, 'ignorable')
    assert.equal(padding.header.type, 100)
    assert.equal(padding.typeName, null)
    assert.equal(padding.body.length, 928 - 19 - 4)
    const query = events[4]
    assert.equal(query?.kind, 'query')
    assert.equal(query.query, 'BEGIN')
    assert.equal(query.threadId, 31514545)
  })
})

describe('MySQL 8.0.28 compressed transaction (mysql-bin.compressed)', () => {
  it('inflates the zstd TRANSACTION_PAYLOAD and decodes its events', (t) => {
    const data = fixture(t, 'mysql-bin.compressed')
    if (data === undefined) return
    const events = decodeAll(data, 'mysql-bin.000004')
    assert.deepEqual(
      events.map((e) => e.kind),
      ['formatDescription', 'previousGtids', 'mysqlGtid', 'transactionPayload', 'rotate'],
    )
    const gtid = events[2]
    assert.equal(gtid?.kind, 'mysqlGtid')
    // 2022-03-04T15:10:41.223033Z: the microsecond commit time within the header's second.
    assert.equal(gtid.immediateCommitTimestamp, 1_646_406_641_223_033n)
    assert.equal(gtid.immediateCommitTimestamp / 1_000_000n, BigInt(gtid.header.timestamp))
    assert.equal(gtid.originalCommitTimestamp, gtid.immediateCommitTimestamp)
    assert.equal(gtid.immediateServerVersion, 80028)
    const payload = events[3]
    assert.equal(payload?.kind, 'transactionPayload')
    assert.equal(payload.compression, 'zstd')
    assert.deepEqual(
      payload.events.map((e) => `${e.typeName ?? ''}@${e.header.logPos}`),
      ['QUERY_EVENT@0', 'TABLE_MAP_EVENT@0', 'UPDATE_ROWS_EVENT@0', 'XID_EVENT@0'],
    )
    const update = payload.events[2]
    assert.equal(update?.kind, 'rows')
    assert.equal(`${update.table.database}.${update.table.table}`, 'demo.movies')
    assert.equal(update.position, payload.position)
    const before = rowsText(update, 'before')
    const after = rowsText(update, 'after')
    assert.deepEqual(before.slice(0, 5), [
      '1',
      'Once Upon a Time in the West',
      '1968',
      'Italy',
      'Western',
    ])
    assert.deepEqual(after.slice(0, 5), [
      '1',
      'Once Upon a Time in the West',
      '1968',
      'Italy',
      'Western|Action',
    ])
    assert.deepEqual(before.slice(5), after.slice(5))
    assert.deepEqual(before.slice(6, 8), ['Sergio Leone', 'Ennio Morricone'])
    const rotate = events[4]
    assert.equal(rotate?.kind, 'rotate')
    assert.deepEqual([rotate.nextFile, rotate.nextPosition], ['mysql-bin.000005', 4n])
  })
})

describe('MySQL 5.5 Sakila load (mysql-bin.sakila.gz)', () => {
  it('decodes all 1374 v1 WRITE_ROWS events into Sakila’s known table sizes', (t) => {
    const data = fixture(t, 'mysql-bin.sakila.gz')
    if (data === undefined) return
    const events = decodeAll(data, 'mysql-bin.000001')
    assert.deepEqual(countTypes(events), {
      FORMAT_DESCRIPTION_EVENT: 1,
      QUERY_EVENT: 54,
      TABLE_MAP_EVENT: 18,
      WRITE_ROWS_EVENT_V1: 1374,
      XID_EVENT: 15,
    })
    const [format] = events
    assert.equal(format?.kind, 'formatDescription')
    assert.equal(format.checksum, null)
    const sizes: Record<string, number> = {}
    for (const event of rowsEvents(events)) {
      sizes[event.table.table] = (sizes[event.table.table] ?? 0) + event.rows.length
    }
    assert.deepEqual(sizes, {
      actor: 200,
      address: 603,
      category: 16,
      city: 600,
      country: 109,
      customer: 599,
      film: 1000,
      film_actor: 5462,
      film_category: 1000,
      film_text: 1000,
      inventory: 4581,
      language: 6,
      payment: 16049,
      rental: 16044,
      staff: 2,
      store: 2,
    })
    const table = (name: string): RowsEvent => {
      const event = rowsEvents(events).find((e) => e.table.table === name)
      assert.ok(event !== undefined, name)
      return event
    }
    assert.deepEqual(rowsText(table('actor'), 'after').slice(0, 3), ['1', 'PENELOPE', 'GUINESS'])
    assert.deepEqual(rowsText(table('rental'), 'after').slice(0, 5), [
      '1',
      '2005-05-24 22:53:30',
      '367',
      '130',
      '2005-05-26 22:04:30',
    ])
    assert.deepEqual(rowsText(table('payment'), 'after').slice(0, 6), [
      '1',
      '1',
      '1',
      '76',
      '2.99',
      '2005-05-25 11:30:37',
    ])
    assert.deepEqual(rowsText(table('film'), 'after').slice(0, 2), ['1', 'ACADEMY DINOSAUR'])
  })
})
