import { CdcError } from '../../common/errors.ts'
import type { SnapshotRequestSignal } from '../adhoc-snapshot-requests.ts'
import type { ConnectorContext } from '../plugin.ts'
import type { BinlogStream } from './binlog-stream.ts'
import { ChangeStream } from './change-stream.ts'
import type { MysqlConfig } from './config.ts'
import type { MysqlPosition } from './position.ts'
import { BinlogDecoder } from './protocol/index.ts'
import type { SchemaChangeEvent } from './schema-change.ts'
import type { SchemaTracker } from './schema-tracker.ts'

export interface StreamingPhase {
  config: MysqlConfig
  context: ConnectorContext
  stream: BinlogStream
  /** The server's flavor (its GTID form). */
  mariadb: boolean
  schemas: SchemaTracker
  start: MysqlPosition
  version: string
  signal: AbortSignal
  /** How long the server may stay silent (no event, no heartbeat) before the stream is dropped. */
  silenceTimeoutMs: number
  onSchemaChange?: (event: SchemaChangeEvent) => Promise<void>
  /** Ad-hoc snapshot requests: one waiting ends streaming at the next transaction boundary. */
  snapshots?: SnapshotRequestSignal
}

/**
 * Decodes the dump and hands each event to the change stream until `signal` aborts or an
 * ad-hoc snapshot request waits (then finishes the open transaction, commits the last
 * boundary and resolves) or something fails (rejects with a CdcError).
 */
export async function streamChanges(phase: StreamingPhase): Promise<void> {
  const { config, context, stream } = phase
  const decoder = new BinlogDecoder({ file: phase.start.file })
  const changes = new ChangeStream({
    sink: context.sink,
    monitor: context.monitor,
    schemas: phase.schemas,
    source: { flavor: config.flavor, version: phase.version, name: config.topicPrefix },
    mariadb: phase.mariadb,
    provideTransactionMetadata: config.provideTransactionMetadata,
    includeQuery: config.includeQuery,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    start: phase.start,
    ...(phase.onSchemaChange === undefined ? {} : { onSchemaChange: phase.onSchemaChange }),
  })
  // Between transactions a stop or a snapshot request ends the dump at once; inside one it
  // waits for its end.
  const onAbort = () => {
    if (!changes.inTransaction) stream.close()
  }
  phase.signal.addEventListener('abort', onAbort, { once: true })
  const removeRequestListener = phase.snapshots?.onRequest(onAbort)
  const snapshotWaiting = () => phase.snapshots?.waiting === true
  // Checked before each packet too: a closed dump still hands out what it buffered, and a
  // transaction begun then could not end before the buffer does.
  const stopHere = () => !changes.inTransaction && (isAborted(phase.signal) || snapshotWaiting())
  const watchdog = setInterval(
    () => {
      if (stream.idleMs > phase.silenceTimeoutMs) {
        stream.abort(
          new CdcError(
            'CDC_MYSQL_CONNECTION',
            `the server sent nothing, not even a heartbeat, for ${Math.round(stream.idleMs / 1000)} s; the dump connection is dropped and re-opened`,
            { retriable: true },
          ),
        )
      }
    },
    Math.min(5_000, phase.silenceTimeoutMs),
  )
  try {
    context.monitor.phase('streaming')
    if (isAborted(phase.signal)) return
    for (;;) {
      if (stopHere()) break
      const packet = await stream.next()
      if (packet === null || stopHere()) break
      await changes.handle(decoder.decodePacket(packet))
    }
    await changes.finish()
    if (!isAborted(phase.signal) && !snapshotWaiting()) {
      throw new CdcError(
        'CDC_MYSQL_CONNECTION',
        'the server ended the binlog dump; it is re-opened from the last committed position',
        { retriable: true },
      )
    }
  } finally {
    clearInterval(watchdog)
    phase.signal.removeEventListener('abort', onAbort)
    removeRequestListener?.()
    stream.close()
  }
}

/** Read through a call: the signal may abort while the surrounding code awaits. */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted
}
