import { streamWithAdhocSnapshots } from '../adhoc-snapshot-loop.ts'
import { pendingSnapshotTables } from '../adhoc-snapshot-position.ts'
import { AdhocSnapshotRequests } from '../adhoc-snapshot-requests.ts'
import { checkRequestedTables } from '../adhoc-snapshot-tables.ts'
import { CommitTrackingSink } from '../commit-tracking-sink.ts'
import type { ConnectorContext, ConnectorTask } from '../plugin.ts'
import type { Position } from '../ports.ts'
import { capturedTableNames, takeAdhocSnapshot } from './adhoc-snapshot.ts'
import { BinlogStream, type DumpStart } from './binlog-stream.ts'
import { listCapturedTables, readCollations } from './catalog.ts'
import type { MysqlConfig } from './config.ts'
import { MysqlSession } from './connection.ts'
import { MysqlGtidSet } from './gtid.ts'
import { errorMessage, isCdcError } from '../../common/errors.ts'
import { classifyMysqlError, isDriverError } from './mysql-errors.ts'
import { decodePosition, encodePosition, isRetained, type MysqlPosition } from './position.ts'
import { toEnvelopeSchemaChange, type SchemaChangeEvent } from './schema-change.ts'
import { ReopeningSession } from './reopening-session.ts'
import { SchemaTracker } from './schema-tracker.ts'
import {
  mariadbGtidPositionAt,
  readBinaryLogs,
  readBinlogStatus,
  readServerInfo,
  type ServerInfo,
} from './server-info.ts'
import {
  checkBinlogSettings,
  checkReplicationClient,
  checkSelectPrivilege,
  checkServerId,
  checkVisibleDatabases,
  hasFullRowMetadata,
  listReplicas,
} from './setup-checks.ts'
import { takeSnapshot } from './snapshot-phase.ts'
import { planStart, positionUnavailable, type StartPlan } from './start-plan.ts'
import { streamChanges } from './streaming-phase.ts'
import type { TableRef } from './ddl-statement.ts'

export interface MysqlTaskOptions {
  /**
   * Receives schema change events (DDL on captured tables, and each captured table's
   * CREATE TABLE during a snapshot) in stream order, before the position after them is
   * committed. By default they go through the sink to `<topic.prefix>`, like Debezium's
   * schema change topic; with include.schema.changes=false they are tracked, not published.
   */
  onSchemaChange?: (event: SchemaChangeEvent) => Promise<void>
}

/** What the backpressure of the dump connection looks like right now (for tests and metrics). */
export interface BinlogFlow {
  paused: boolean
  bufferedBytes: number
  peakBufferedBytes: number
}

/** Heartbeats come at least this often, so that a silent dead server is noticed. */
const maxHeartbeatMs = 30_000

/**
 * One run of the MySQL/MariaDB connector: setup checks, then a snapshot and/or streaming
 * as the snapshot mode and the stored position decide.
 */
export class MysqlTask implements ConnectorTask {
  readonly #config: MysqlConfig
  readonly #context: ConnectorContext
  readonly #version: string
  readonly #onSchemaChange: ((event: SchemaChangeEvent) => Promise<void>) | undefined
  readonly #commits: CommitTrackingSink
  readonly #snapshots: AdhocSnapshotRequests
  #stream: BinlogStream | null = null

  constructor(
    config: MysqlConfig,
    context: ConnectorContext,
    version: string,
    options: MysqlTaskOptions = {},
  ) {
    this.#config = config
    this.#commits = new CommitTrackingSink(context.sink)
    this.#context = { ...context, sink: this.#commits }
    this.#snapshots = new AdhocSnapshotRequests(context.name)
    this.#version = version
    this.#onSchemaChange = config.includeSchemaChanges
      ? (options.onSchemaChange ??
        ((event) => this.#context.sink.emit(toEnvelopeSchemaChange(event))))
      : undefined
  }

  get #replicaName(): string {
    return `cdc-${this.#context.name}`.slice(0, 60)
  }

  /** The dump connection's buffer and pause state; null when not streaming. */
  get binlogFlow(): BinlogFlow | null {
    const stream = this.#stream
    if (stream === null) return null
    return {
      paused: stream.paused,
      bufferedBytes: stream.bufferedBytes,
      peakBufferedBytes: stream.peakBufferedBytes,
    }
  }

  async run(from: Position | null, signal: AbortSignal): Promise<void> {
    const { monitor } = this.#context
    monitor.phase('starting')
    const stored = from === null ? null : decodePosition(from)
    this.#commits.reset(from)
    const admin = await MysqlSession.open(this.#config.connection, 'setup checks')
    // Schema reads at DDL may come hours after the last use of the session (wait_timeout).
    const schemaReads = new ReopeningSession(admin, () =>
      MysqlSession.open(this.#config.connection, 'schema reads'),
    )
    try {
      const info = await readServerInfo(admin)
      const names = await this.#check(admin, info)
      const schemas = new SchemaTracker({
        session: schemaReads,
        filters: this.#config,
        capture: this.#config,
        collations: await readCollations(admin),
        mariadb: info.mariadb,
        fullRowMetadata: hasFullRowMetadata(info),
        warn: (message, fields) => {
          this.#context.logger.warn(message, fields)
        },
      })
      let plan: StartPlan = planStart(this.#config.snapshotMode, stored)
      if (plan.kind === 'done' || isAborted(signal)) return
      let start: MysqlPosition | null = null
      if (plan.kind === 'stream') {
        start = await this.#resumable(admin, info, plan.from)
        if (start === null) {
          if (!plan.resnapshot) {
            throw positionUnavailable(
              plan.from,
              `binlog file ${plan.from.file} is no longer on the server (SHOW BINARY LOGS)`,
            )
          }
          plan = { kind: 'snapshot', stream: true }
        }
      }
      for (;;) {
        if (plan.kind === 'snapshot') {
          start = await this.#snapshot(info, schemas, names, signal)
          if (start === null || !plan.stream) return
        } else if (plan.kind === 'streamFromCurrent' || plan.kind === 'streamFromOldest') {
          start = await this.#initialStart(admin, info, plan.kind === 'streamFromOldest')
          await this.#context.sink.commit(encodePosition(start))
          await schemas.load(names)
        } else {
          await schemas.load(names)
        }
        if (start === null || isAborted(signal)) return
        try {
          this.#stream = await this.#openDump(info, start)
        } catch (error) {
          const failure = classifyMysqlError(error, 'starting the binlog dump')
          if (failure.code !== 'CDC_MYSQL_POSITION_UNAVAILABLE') throw failure
          if (plan.kind !== 'stream' || !plan.resnapshot) {
            // The server's own words: the classified message's advice would say it twice.
            const why = failure.cause === undefined ? failure.message : errorMessage(failure.cause)
            throw positionUnavailable(start, `the server says: ${why}`, failure)
          }
          this.#context.logger.warn(
            'the stored position is gone from the binlog; taking a new snapshot (snapshot.mode=when_needed)',
          )
          plan = { kind: 'snapshot', stream: true }
          continue
        }
        break
      }
      await streamWithAdhocSnapshots({
        requests: this.#snapshots,
        sink: this.#commits,
        monitor,
        signal,
        from: encodePosition(start),
        pending:
          plan.kind === 'stream'
            ? pendingSnapshotTables(from, 'CDC_MYSQL_POSITION_UNAVAILABLE')
            : null,
        stream: async (at) => {
          const position = decodePosition(at)
          const stream = this.#stream ?? (await this.#openDump(info, position))
          this.#stream = stream
          try {
            await streamChanges({
              config: this.#config,
              context: this.#context,
              stream,
              mariadb: info.mariadb,
              schemas,
              start: position,
              version: this.#version,
              signal,
              silenceTimeoutMs: this.#heartbeatMs() * 3 + 10_000,
              snapshots: this.#snapshots,
              ...(this.#onSchemaChange === undefined
                ? {}
                : { onSchemaChange: this.#onSchemaChange }),
            })
          } finally {
            this.#stream = null
          }
        },
        snapshot: (tables, at) => {
          // Re-opened at the same position afterwards; an unread dump would only buffer.
          this.#stream?.close()
          this.#stream = null
          return takeAdhocSnapshot({
            config: this.#config,
            context: this.#context,
            info,
            tables,
            from: at,
            version: this.#version,
            signal,
          })
        },
      })
    } catch (error) {
      // Anything else is a bug, which the runtime reports as a crash with its trace.
      if (isCdcError(error) || !isDriverError(error)) throw error
      throw classifyMysqlError(error, `running connector ${this.#context.name}`)
    } finally {
      this.#stream?.close()
      this.#stream = null
      monitor.phase('stopping')
      schemaReads.close()
      await admin.close()
    }
  }

  /**
   * Takes an ad-hoc (blocking) snapshot request of captured `database.table` names;
   * resolves once it is recorded in the committed position (see streamWithAdhocSnapshots).
   */
  async requestSnapshot(tables: readonly string[]): Promise<void> {
    this.#snapshots.checkAccepting()
    const captured = await capturedTableNames(this.#config)
    await this.#snapshots.submit(
      checkRequestedTables(this.#context.name, tables, captured, 'database.table'),
    )
  }

  #heartbeatMs(): number {
    const interval = this.#config.heartbeatIntervalMs
    return interval > 0 ? Math.min(interval, maxHeartbeatMs) : maxHeartbeatMs
  }

  /** Server settings and privileges; returns the captured tables. */
  async #check(admin: MysqlSession, info: ServerInfo): Promise<TableRef[]> {
    const config = this.#config
    const user = `'${config.connection.user}'`
    checkBinlogSettings(info)
    if (!hasFullRowMetadata(info)) {
      this.#context.logger.warn(
        'binlog_row_metadata is not FULL: columns are matched to information_schema by position, and tables whose columns changed since cannot be decoded; set binlog_row_metadata=FULL',
      )
    }
    await checkReplicationClient(admin, info, user)
    checkServerId(info, config.serverId, await listReplicas(admin, info), this.#replicaName)
    await BinlogStream.probe(config.connection, config.serverId, this.#replicaName)
    await checkVisibleDatabases(admin, config.databases.include, user)
    const names = await listCapturedTables(admin, config)
    await checkSelectPrivilege(admin, names, user)
    if (names.length === 0) {
      this.#context.logger.warn(
        'no table matches the database and table filters (or the user may not see any)',
      )
    }
    return names
  }

  /** The stored position made ready to resume from, or null when its file is gone. */
  async #resumable(
    admin: MysqlSession,
    info: ServerInfo,
    position: MysqlPosition,
  ): Promise<MysqlPosition | null> {
    if (position.gtids === '' && !isRetained(position.file, await readBinaryLogs(admin)))
      return null
    if (info.mariadb && position.gtids === '') {
      // With its GTID position, later restarts resume by GTID, which survives failover.
      return { ...position, gtids: await mariadbGtidPositionAt(admin, position) }
    }
    return position
  }

  async #initialStart(
    admin: MysqlSession,
    info: ServerInfo,
    oldest: boolean,
  ): Promise<MysqlPosition> {
    let file: string
    let pos: number
    let gtids: string
    if (oldest) {
      const files = await readBinaryLogs(admin)
      file = files[0]?.name ?? ''
      pos = 4
      gtids = info.mariadb ? await mariadbGtidPositionAt(admin, { file, pos }) : ''
    } else {
      const status = await readBinlogStatus(admin, info)
      file = status.file
      pos = status.pos
      gtids = info.mariadb ? await mariadbGtidPositionAt(admin, status) : status.executedGtids
    }
    return { file, pos, gtids, snapshotCompleted: true, tsMs: null }
  }

  async #snapshot(
    info: ServerInfo,
    schemas: SchemaTracker,
    names: readonly TableRef[],
    signal: AbortSignal,
  ): Promise<MysqlPosition | null> {
    this.#context.monitor.phase('snapshot')
    return takeSnapshot({
      config: this.#config,
      context: this.#context,
      info,
      schemas,
      tables: names,
      version: this.#version,
      signal,
      ...(this.#onSchemaChange === undefined ? {} : { onSchemaChange: this.#onSchemaChange }),
    })
  }

  #openDump(info: ServerInfo, start: MysqlPosition): Promise<BinlogStream> {
    let dump: DumpStart
    const gtidMode = info.variables.get('gtid_mode')?.toUpperCase() === 'ON'
    if (info.mariadb && start.gtids !== '') dump = { kind: 'mariadbGtid', gtids: start.gtids }
    else if (!info.mariadb && gtidMode && start.gtids !== '') {
      dump = { kind: 'mysqlGtid', gtids: MysqlGtidSet.parse(start.gtids) }
    } else dump = { kind: 'file', file: start.file, pos: start.pos }
    return BinlogStream.open({
      connection: this.#config.connection,
      serverId: this.#config.serverId,
      mariadb: info.mariadb,
      start: dump,
      heartbeatMs: this.#heartbeatMs(),
      replicaName: this.#replicaName,
      annotateRows: this.#config.includeQuery,
    })
  }
}

/** Read through a call: the signal may abort while the surrounding code awaits. */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted
}
