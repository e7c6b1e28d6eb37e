import type pg from 'pg'
import type { SnapshotRequestSignal } from '../adhoc-snapshot-requests.ts'
import type { ConnectorContext } from '../plugin.ts'
import { isCapturedTable } from './captured-table.ts'
import { listTables } from './catalog.ts'
import { ChangeStream } from './change-stream.ts'
import type { PostgresConfig } from './config.ts'
import { connectClient, preferredClientConfig } from './connection.ts'
import type { Lsn } from './lsn.ts'
import { classifyPgError } from './pg-errors.ts'
import { ensurePublication } from './publication.ts'
import { RelationTables } from './relation-tables.ts'
import { ReplicationStream } from './replication-stream.ts'
import type { TypeRegistry } from './type-registry.ts'

export interface StreamingPhase {
  config: PostgresConfig
  context: ConnectorContext
  /** Normal connection for catalog reads and heartbeat work. */
  admin: pg.Client
  types: TypeRegistry
  startLsn: Lsn
  version: string
  applicationName: string
  signal: AbortSignal
  /** Ad-hoc snapshot requests: one waiting ends streaming at the next transaction boundary. */
  snapshots?: SnapshotRequestSignal
}

/** Status updates go out at least this often, well inside the default wal_sender_timeout (60 s). */
const statusIntervalMs = 10_000

/**
 * Streams from the slot until `signal` aborts or an ad-hoc snapshot request waits (then
 * finishes the open transaction, waits for its commit and resolves) or something fails
 * (rejects with a CdcError).
 */
export async function streamChanges(phase: StreamingPhase): Promise<void> {
  const { config, context, admin } = phase
  const stream = new ReplicationStream({
    client: preferredClientConfig(config.connection, {
      applicationName: phase.applicationName,
      replication: true,
    }),
    slotName: config.slotName,
    publicationNames: [config.publicationName],
    startLsn: phase.startLsn,
    statusIntervalMs:
      config.heartbeatIntervalMs > 0
        ? Math.min(statusIntervalMs, config.heartbeatIntervalMs)
        : statusIntervalMs,
  })
  const changes = new ChangeStream({
    sink: context.sink,
    monitor: context.monitor,
    relations: new RelationTables(config, admin, phase.types, config.connection.database),
    source: { version: phase.version, name: config.topicPrefix, db: config.connection.database },
    topicPrefix: config.topicPrefix,
    provideTransactionMetadata: config.provideTransactionMetadata,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    startLsn: phase.startLsn,
    confirm: (lsn) => {
      stream.confirm(lsn)
    },
    fail: (error) => void stream.fail(error),
  })

  let stopping: Promise<void> | null = null
  const finish = (): Promise<void> => {
    stopping ??= (async () => {
      if (phase.signal.aborted) context.monitor.phase('stopping')
      try {
        await changes.settled()
      } catch (error) {
        await stream.fail(error)
        return
      }
      await stream.stop()
    })()
    return stopping
  }
  const onAbort = () => {
    if (!changes.inTransaction) void finish()
  }
  phase.signal.addEventListener('abort', onAbort, { once: true })
  // A request between transactions ends the stream at once; inside one, at its commit.
  let handling = false
  const removeRequestListener = phase.snapshots?.onRequest(() => {
    if (!handling && !changes.inTransaction) void finish()
  })

  let heartbeatBusy = false
  // Its own connection: the stream's handler reads the catalog on `admin` meanwhile.
  const heartbeatConnection: { client: pg.Client | null } = { client: null }
  const heartbeat = async (): Promise<void> => {
    if (heartbeatBusy || stopping !== null) return
    heartbeatBusy = true
    try {
      stream.ping()
      if (config.heartbeatActionQuery === null && config.publicationAutocreateMode !== 'filtered')
        return
      heartbeatConnection.client ??= await connectClient(config.connection, {
        applicationName: phase.applicationName,
      })
      const heartbeatClient = heartbeatConnection.client
      if (config.heartbeatActionQuery !== null)
        await heartbeatClient.query(config.heartbeatActionQuery)
      if (config.publicationAutocreateMode === 'filtered') {
        const tables = (await listTables(heartbeatClient)).filter((table) =>
          isCapturedTable(config, table.schema, table.name),
        )
        await ensurePublication(
          heartbeatClient,
          config.publicationName,
          'filtered',
          tables,
          context.name,
        )
      }
    } catch (error) {
      await stream.fail(classifyPgError(error, 'running the heartbeat'))
    } finally {
      heartbeatBusy = false
    }
  }
  const timer =
    config.heartbeatIntervalMs > 0
      ? setInterval(() => void heartbeat(), config.heartbeatIntervalMs)
      : null

  try {
    if (phase.signal.aborted || phase.snapshots?.waiting === true) return
    await stream.run(async (item) => {
      if (stopping !== null) return
      handling = true
      try {
        await changes.handle(item)
      } finally {
        handling = false
      }
      if ((phase.signal.aborted || phase.snapshots?.waiting === true) && !changes.inTransaction)
        await finish()
    })
  } finally {
    if (timer !== null) clearInterval(timer)
    phase.signal.removeEventListener('abort', onAbort)
    removeRequestListener?.()
    await heartbeatConnection.client?.end().catch(() => undefined)
  }
}
