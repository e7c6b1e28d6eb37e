import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { streamWithAdhocSnapshots } from '../../../connectors/adhoc-snapshot-loop.ts'
import {
  pendingSnapshotTables,
  withPendingSnapshot,
} from '../../../connectors/adhoc-snapshot-position.ts'
import { AdhocSnapshotRequests } from '../../../connectors/adhoc-snapshot-requests.ts'
import { CommitTrackingSink } from '../../../connectors/commit-tracking-sink.ts'
import type { ConnectorMonitor, ConnectorPhase } from '../../../connectors/plugin.ts'
import type { Position } from '../../../connectors/ports.ts'

/**
 * A connector without a database: its stream commits one transaction (`lsn` + 1) and then
 * waits for a stop or a request; its snapshot commits as the real readers do.
 */
class FakeConnector {
  readonly requests = new AdhocSnapshotRequests('shop')
  readonly committed: Position[] = []
  readonly sink = new CommitTrackingSink({
    emit: () => Promise.resolve(),
    commit: (position) => {
      this.committed.push(position)
      return Promise.resolve()
    },
  })
  readonly log: string[] = []
  readonly phases: ConnectorPhase[] = []
  readonly abort = new AbortController()
  readonly monitor: ConnectorMonitor = {
    phase: (phase) => this.phases.push(phase),
    snapshotProgress: () => undefined,
    eventsSeen: () => undefined,
    behindSource: () => undefined,
  }
  streamFailure: Error | null = null
  snapshotStops = false
  #streaming: (() => void)[] = []

  /** Resolves once the stream runs (and has committed its transaction). */
  streaming(): Promise<void> {
    return new Promise((resolve) => this.#streaming.push(resolve))
  }

  run(from: Position, pending: readonly string[] | null = null): Promise<void> {
    return streamWithAdhocSnapshots({
      requests: this.requests,
      sink: this.sink,
      monitor: this.monitor,
      signal: this.abort.signal,
      from,
      pending,
      stream: async (at) => {
        this.log.push(`stream from ${String(at.lsn)}`)
        await this.sink.commit({ lsn: Number(at.lsn) + 1 })
        for (const resolve of this.#streaming.splice(0)) resolve()
        await new Promise<void>((resolve) => {
          if (this.requests.waiting || this.abort.signal.aborted) {
            resolve()
            return
          }
          const remove = this.requests.onRequest(() => {
            remove()
            resolve()
          })
          this.abort.signal.addEventListener(
            'abort',
            () => {
              resolve()
            },
            { once: true },
          )
        })
        if (this.streamFailure !== null) throw this.streamFailure
      },
      snapshot: async (tables, at) => {
        this.log.push(`snapshot ${tables.join(',')} at ${String(at.lsn)}`)
        if (this.snapshotStops) return false
        await this.sink.commit(at)
        return true
      },
    })
  }
}

describe('connectors/adhoc-snapshot-loop', () => {
  it('stops streaming for a request, records it, reads the tables and resumes from the same position', async () => {
    const connector = new FakeConnector()
    const streaming = connector.streaming()
    const run = connector.run({ lsn: 1, txId: 7 })
    await streaming
    const again = connector.streaming()
    await connector.requests.submit(['public.orders'])
    // Accepted: the request is committed, at the position streaming stopped at.
    assert.deepEqual(connector.committed[1], withPendingSnapshot({ lsn: 2 }, ['public.orders']))
    await again
    connector.abort.abort()
    await run
    assert.deepEqual(connector.log, [
      'stream from 1',
      'snapshot public.orders at 2',
      'stream from 2',
    ])
    assert.deepEqual(connector.committed, [
      { lsn: 2 },
      { lsn: 2, adhoc_snapshot_tables: '["public.orders"]' },
      { lsn: 2 },
      { lsn: 3 },
    ])
    assert.deepEqual(connector.phases, ['streaming', 'streaming'])
  })

  it('takes a snapshot the stored position holds before streaming, from that position', async () => {
    const connector = new FakeConnector()
    const stored = withPendingSnapshot({ lsn: 5 }, ['shop.orders'])
    const streaming = connector.streaming()
    const run = connector.run(stored, pendingSnapshotTables(stored, 'CDC_PG_POSITION_UNAVAILABLE'))
    await streaming
    connector.abort.abort()
    await run
    assert.deepEqual(connector.log, ['snapshot shop.orders at 5', 'stream from 5'])
    assert.deepEqual(connector.committed, [{ lsn: 5 }, { lsn: 6 }])
  })

  it('a snapshot stopped before it completed ends the run; its tables stay pending', async () => {
    const connector = new FakeConnector()
    connector.snapshotStops = true
    const stored = withPendingSnapshot({ lsn: 5 }, ['shop.orders'])
    await connector.run(stored, ['shop.orders'])
    assert.deepEqual(connector.log, ['snapshot shop.orders at 5'])
    assert.deepEqual(connector.committed, [])
  })

  it('refuses requests while not streaming or while one waits (409)', async () => {
    const connector = new FakeConnector()
    assert.throws(
      () => {
        connector.requests.checkAccepting()
      },
      {
        code: 'CDC_API_CONFLICT',
        message: /connector shop is not streaming right now .* phase "streaming"/,
      },
    )
    await assert.rejects(connector.requests.submit(['a.b']), { code: 'CDC_API_CONFLICT' })
    connector.requests.open()
    const first = connector.requests.submit(['a.b'])
    assert.throws(
      () => {
        connector.requests.checkAccepting()
      },
      {
        code: 'CDC_API_CONFLICT',
        message: /already has an ad-hoc snapshot of a\.b waiting to start/,
      },
    )
    connector.requests.take()?.accepted()
    await first
  })

  it('a stop while a request waits records it for the next start and ends', async () => {
    const connector = new FakeConnector()
    const streaming = connector.streaming()
    const run = connector.run({ lsn: 1 })
    await streaming
    connector.abort.abort()
    // The stream has not seen the abort yet: the request arrives in the same moment.
    const accepted = connector.requests.submit(['public.orders'])
    await run
    await accepted
    assert.deepEqual(connector.log, ['stream from 1'])
    assert.deepEqual(connector.committed.at(-1), {
      lsn: 2,
      adhoc_snapshot_tables: '["public.orders"]',
    })
  })

  it('a stream that fails with a request waiting refuses the request and fails the run', async () => {
    const connector = new FakeConnector()
    const streaming = connector.streaming()
    const run = connector.run({ lsn: 1 })
    await streaming
    connector.streamFailure = new Error('connection lost')
    const refused = connector.requests.submit(['public.orders'])
    await assert.rejects(run, { message: 'connection lost' })
    await assert.rejects(refused, {
      code: 'CDC_API_CONFLICT',
      message:
        /stopped streaming before the ad-hoc snapshot of public\.orders could start \(it failed: connection lost\)/,
    })
  })
})
