import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ConnectorMonitor } from '../../../../connectors/plugin.ts'
import type { ChangeSink, Position } from '../../../../connectors/ports.ts'
import { captureTable, type CapturedTable } from '../../../../connectors/postgres/captured-table.ts'
import { ChangeStream } from '../../../../connectors/postgres/change-stream.ts'
import { parsePostgresConfig } from '../../../../connectors/postgres/config.ts'
import type { PgoutputMessage } from '../../../../connectors/postgres/pgoutput/messages.ts'
import type { PgType } from '../../../../connectors/postgres/type-mapping/pg-type.ts'
import type { ChangeEvent } from '../../../../envelope/change-event.ts'

const int4: PgType = {
  oid: 23,
  schema: 'pg_catalog',
  name: 'int4',
  typtype: 'b',
  elementOid: 0,
  delimiter: ',',
  baseOid: 0,
  baseTypmod: -1,
  labels: [],
}
const config = parsePostgresConfig({
  'connector.class': 'postgres',
  'database.hostname': 'h',
  'database.user': 'u',
  'database.dbname': 'db',
  'topic.prefix': 'p',
})
const table: CapturedTable = captureTable(config, { get: () => int4 }, 'db', {
  oid: 1,
  schema: 's',
  name: 't',
  replicaIdentity: 'd',
  primaryKey: ['id'],
  columns: [{ name: 'id', typeOid: 23, typmod: -1, notNull: true, typeText: 'integer' }],
})

/** A sink whose commits resolve when the test says, in any order. */
class ControlledSink implements ChangeSink {
  readonly events: ChangeEvent[] = []
  readonly commits: { position: Position; resolve: () => void }[] = []
  emit(event: ChangeEvent): Promise<void> {
    this.events.push(event)
    return Promise.resolve()
  }
  commit(position: Position): Promise<void> {
    return new Promise((resolve) => this.commits.push({ position, resolve }))
  }
}

const monitor: ConnectorMonitor = {
  phase: () => undefined,
  snapshotProgress: () => undefined,
  eventsSeen: () => undefined,
  behindSource: () => undefined,
}

function setup(heartbeatIntervalMs = 1) {
  const sink = new ControlledSink()
  const confirmed: bigint[] = []
  const stream = new ChangeStream({
    sink,
    monitor,
    relations: { define: () => Promise.resolve(), get: () => table },
    source: { version: 'v', name: 'p', db: 'db' },
    topicPrefix: 'p',
    provideTransactionMetadata: false,
    heartbeatIntervalMs,
    startLsn: 100n,
    confirm: (lsn) => confirmed.push(lsn),
    fail: (error) => {
      throw error
    },
  })
  const message = (lsn: bigint, body: PgoutputMessage) =>
    stream.handle({ kind: 'message', lsn, message: body })
  const transaction = async (xid: number, end: bigint) => {
    await message(end - 10n, { tag: 'begin', finalLsn: end - 5n, commitTimeUs: 1_000_000n, xid })
    await message(end - 9n, { tag: 'insert', relationId: 1, newTuple: [String(xid)] })
    await message(end, {
      tag: 'commit',
      flags: 0,
      commitLsn: end - 5n,
      endLsn: end,
      commitTimeUs: 1_000_000n,
    })
  }
  return { sink, confirmed, stream, message, transaction }
}

const flush = () => new Promise((resolve) => setImmediate(resolve))

describe('connectors/postgres/change-stream', () => {
  it('confirms commit end LSNs only after the sink committed them, in commit order', async () => {
    const { sink, confirmed, transaction } = setup()
    await transaction(1, 200n)
    await transaction(2, 300n)
    assert.deepEqual(
      sink.commits.map((commit) => commit.position.lsn),
      ['0/C8', '0/12C'],
    )
    sink.commits[1]?.resolve()
    await flush()
    assert.deepEqual(confirmed, [], 'the later commit must wait for the earlier one')
    sink.commits[0]?.resolve()
    await flush()
    assert.deepEqual(confirmed, [200n, 300n])
  })

  it('commits and confirms a keepalive WAL end only between transactions', async () => {
    const { sink, confirmed, stream, message } = setup()
    await message(150n, { tag: 'begin', finalLsn: 180n, commitTimeUs: 1n, xid: 9 })
    await stream.handle({ kind: 'keepalive', walEnd: 170n })
    assert.equal(sink.commits.length, 0)
    await message(190n, {
      tag: 'commit',
      flags: 0,
      commitLsn: 180n,
      endLsn: 190n,
      commitTimeUs: 1n,
    })
    await new Promise((resolve) => setTimeout(resolve, 2))
    await stream.handle({ kind: 'keepalive', walEnd: 250n })
    assert.deepEqual(
      sink.commits.map((commit) => commit.position.lsn),
      ['0/BE', '0/FA'],
    )
    for (const commit of sink.commits) commit.resolve()
    await flush()
    assert.deepEqual(confirmed, [190n, 250n])
  })

  it('ignores keepalives when heartbeats are off', async () => {
    const { sink, stream } = setup(0)
    await stream.handle({ kind: 'keepalive', walEnd: 999n })
    assert.equal(sink.commits.length, 0)
  })

  it('gives events the transaction commit time, xid, LSN and the previous commit in sequence', async () => {
    const { sink, transaction } = setup()
    await transaction(7, 200n)
    const source = sink.events[0]?.source.value
    assert.deepEqual(
      [source?.txId, source?.lsn, source?.ts_ms, source?.sequence, source?.snapshot],
      [7n, 191n, 1000n, '["100","191"]', 'false'],
    )
  })

  it('refuses a change outside a transaction', async () => {
    const { message } = setup()
    await assert.rejects(message(5n, { tag: 'insert', relationId: 1, newTuple: ['1'] }), {
      code: 'CDC_DECODE_INVALID',
    })
  })
})
