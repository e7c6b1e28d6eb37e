import { CdcError } from '../../common/errors.ts'
import type { ChangeEvent, TransactionInfo } from '../../envelope/change-event.ts'
import type { StructValue } from '../../envelope/connect-schema.ts'
import type { ConnectorMonitor } from '../plugin.ts'
import type { ChangeSink } from '../ports.ts'
import type { CapturedTable } from './captured-table.ts'
import { rowFromImage } from './captured-table.ts'
import type { Flavor } from './config-def.ts'
import { parseDdl } from './ddl-statement.ts'
import { GtidState, transactionGtid, type TransactionGtid } from './gtid-state.ts'
import { encodePosition, type MysqlPosition } from './position.ts'
import type { BinlogEvent, QueryEvent, RowsEvent } from './protocol/index.ts'
import { EventFlag } from './protocol/index.ts'
import type { SchemaChangeEvent } from './schema-change.ts'
import type { SchemaTracker } from './schema-tracker.ts'
import { sourceBlock, type SourceFacts } from './source-info.ts'

export interface ChangeStreamOptions {
  sink: ChangeSink
  monitor: ConnectorMonitor
  schemas: Pick<SchemaTracker, 'onTableMap' | 'forRows' | 'onDdl'>
  source: { flavor: Flavor; version: string; name: string }
  /** The server's flavor: which GTID form positions carry. */
  mariadb: boolean
  provideTransactionMetadata: boolean
  includeQuery: boolean
  /** 0 commits only positions of transactions with captured changes. */
  heartbeatIntervalMs: number
  /** Where the stream started: already committed. */
  start: MysqlPosition
  /** Receives DDL on captured tables, in stream order, before the DDL's position is committed. */
  onSchemaChange?: (event: SchemaChangeEvent) => Promise<void>
  /** Commits allowed to wait for the sink at once before the stream waits too. */
  maxPendingCommits?: number
}

/** The transaction being read: from its GTID event (or BEGIN) to its XID (or COMMIT). */
interface Group {
  gtid: TransactionGtid | null
  /** No XID or COMMIT follows: the next statement ends it (MariaDB DDL, FL_STANDALONE). */
  standalone: boolean
  /** Ended by XID/COMMIT only: BEGIN seen, or a MariaDB transactional GTID. */
  transactional: boolean
  /** MySQL's original commit time (µs); MariaDB events carry their own header time. */
  commitTimeUs: bigint | null
  lastTimeUs: bigint
  start: { file: string; pos: number }
  thread: number | null
  query: string | null
  emitted: number
  totalOrder: bigint
  perTable: Map<string, bigint>
}

const controlStatements = /^(SAVEPOINT|ROLLBACK\s+TO|RELEASE\s+SAVEPOINT|XA\s+END)\b/i

/**
 * Turns decoded binlog events into ChangeEvents, in order, awaiting each emit
 * (backpressure), and commits positions only at transaction boundaries: the start of the
 * next transaction and the GTID position including the one that just ended. Transactions
 * without captured changes are committed at most every heartbeat interval.
 */
export class ChangeStream {
  readonly #options: ChangeStreamOptions
  readonly #gtids: GtidState
  #group: Group | null = null
  #boundary: MysqlPosition
  #committed: MysqlPosition
  #lastCommitAt = Date.now()
  #chain: Promise<void> = Promise.resolve()
  #pending = 0
  #failure: Error | null = null

  constructor(options: ChangeStreamOptions) {
    this.#options = options
    this.#gtids = new GtidState(options.mariadb, options.start.gtids)
    this.#boundary = options.start
    this.#committed = options.start
  }

  get inTransaction(): boolean {
    return this.#group !== null
  }

  /** The last transaction boundary read (committed or not). */
  get boundary(): MysqlPosition {
    return this.#boundary
  }

  async handle(event: BinlogEvent, endPos = event.header.logPos): Promise<void> {
    if (this.#failure !== null) throw this.#failure
    switch (event.kind) {
      case 'mariadbGtid':
        this.#open(event, transactionGtid(event), event.standalone, !event.standalone, null)
        return
      case 'mysqlGtid':
        this.#open(event, transactionGtid(event), false, false, event.originalCommitTimestamp)
        return
      case 'query':
        await this.#query(event, endPos)
        return
      case 'xid':
      case 'xaPrepare':
        // An XA transaction's rows are treated as committed at its PREPARE (README).
        await this.#end(event, endPos)
        return
      case 'tableMap':
        await this.#options.schemas.onTableMap(event.tableMap)
        return
      case 'rows':
        await this.#rows(event)
        return
      case 'annotateRows':
      case 'rowsQuery':
        if (this.#group !== null && this.#options.includeQuery) this.#group.query = event.query
        return
      case 'rotate':
        // The artificial ROTATE that opens a dump names the start, already the boundary.
        if ((event.header.flags & EventFlag.ARTIFICIAL) === 0 && this.#group === null) {
          this.#boundary = {
            ...this.#boundary,
            file: event.nextFile,
            pos: Number(event.nextPosition),
          }
        }
        return
      case 'heartbeat':
        await this.#commitIdle()
        return
      case 'transactionPayload':
        for (const inner of event.events) await this.handle(inner, endPos)
        return
      case 'incident':
        throw new CdcError(
          'CDC_MYSQL_BINLOG_INCIDENT',
          `the binlog has an INCIDENT event (${event.incident}: ${event.message}) at ${event.file}:${event.position}: the server says changes may be missing from the log here; check the server and take a new snapshot`,
        )
      case 'formatDescription':
      case 'previousGtids':
      case 'mariadbGtidList':
      case 'binlogCheckpoint':
      case 'stop':
      case 'other':
      case 'ignorable':
        return
    }
  }

  #open(
    event: BinlogEvent,
    gtid: TransactionGtid | null,
    standalone: boolean,
    transactional: boolean,
    commitTimeUs: bigint | null,
  ): void {
    this.#group = {
      gtid,
      standalone,
      transactional,
      commitTimeUs,
      lastTimeUs: BigInt(event.header.timestamp) * 1_000_000n,
      start: { file: event.file, pos: event.position },
      thread: null,
      query: null,
      emitted: 0,
      totalOrder: 0n,
      perTable: new Map(),
    }
  }

  #ensureGroup(event: BinlogEvent): Group {
    if (this.#group === null) this.#open(event, null, false, false, null)
    return this.#group as Group
  }

  async #query(event: QueryEvent, endPos: number): Promise<void> {
    const text = event.query.trim()
    const upper = text.slice(0, 24).toUpperCase()
    if (upper === 'BEGIN' || upper.startsWith('XA START')) {
      const group = this.#ensureGroup(event)
      group.transactional = true
      group.thread = event.threadId
      return
    }
    if (
      upper === 'COMMIT' ||
      upper.startsWith('XA COMMIT') ||
      /^ROLLBACK\b(?!\s+TO)/i.test(text) ||
      upper.startsWith('XA ROLLBACK')
    ) {
      await this.#end(event, endPos)
      return
    }
    if (controlStatements.test(text)) return
    const group = this.#ensureGroup(event)
    const effect = parseDdl(text, event.schema, ((event.statusVars.sqlMode ?? 0n) & 0x4n) !== 0n)
    if (effect !== null) {
      const outcome = await this.#options.schemas.onDdl(effect)
      for (const table of outcome.truncated) {
        await this.#emit({
          kind: 'truncate',
          op: 't',
          table: table.schema,
          ...this.#base(event, table, 0),
        })
      }
      if (outcome.captured && this.#options.onSchemaChange !== undefined) {
        const tables = outcome.changes.map((change) => change.def.table)
        await this.#options.onSchemaChange({
          flavor: this.#options.source.flavor,
          topic: this.#options.source.name,
          source: sourceBlock(
            this.#facts(event, event.schema, tables.length === 1 ? (tables[0] ?? null) : null, 0),
          ),
          tsMs: Date.now(),
          // The changed table's database; the session's default database otherwise.
          databaseName: outcome.changes[0]?.def.database ?? event.schema,
          ddl: text,
          tableChanges: outcome.changes,
        })
        group.emitted++
      }
    }
    if (group.standalone || !group.transactional) await this.#end(event, endPos)
  }

  async #rows(event: RowsEvent): Promise<void> {
    const table = this.#options.schemas.forRows(event.table)
    if (table === undefined) return
    this.#ensureGroup(event)
    for (const [index, change] of event.rows.entries()) {
      const before = change.before === null ? null : rowFromImage(table, change.before)
      const after = change.after === null ? null : rowFromImage(table, change.after)
      const op = event.action === 'insert' ? 'c' : event.action === 'update' ? 'u' : 'd'
      await this.#emitRow(event, table, op, before, after, index)
    }
  }

  async #emitRow(
    event: RowsEvent,
    table: CapturedTable,
    op: 'c' | 'u' | 'd',
    before: StructValue | null,
    after: StructValue | null,
    row: number,
  ): Promise<void> {
    await this.#emit({
      kind: 'row',
      op,
      table: table.schema,
      before,
      after,
      ...this.#base(event, table, row),
    })
  }

  #facts(event: BinlogEvent, db: string, table: string | null, row: number): SourceFacts {
    const group = this.#group
    const eventTimeUs = BigInt(event.header.timestamp) * 1_000_000n
    if (group !== null && event.header.timestamp > 0) group.lastTimeUs = eventTimeUs
    return {
      ...this.#options.source,
      timeUs:
        group?.commitTimeUs ??
        (event.header.timestamp > 0 ? eventTimeUs : (group?.lastTimeUs ?? 0n)),
      snapshot: 'false',
      db,
      table,
      serverId: event.header.serverId,
      gtid: group?.gtid?.text ?? null,
      file: event.file,
      pos: event.position,
      row,
      thread: group?.thread ?? null,
      query: this.#options.includeQuery ? (group?.query ?? null) : null,
    }
  }

  #base(
    event: BinlogEvent,
    table: CapturedTable,
    row: number,
  ): { source: ChangeEvent['source']; tsMs: number; transaction?: TransactionInfo } {
    const { database, table: name } = table.def
    const source = sourceBlock(this.#facts(event, database, name, row))
    const group = this.#group
    if (!this.#options.provideTransactionMetadata || group === null)
      return { source, tsMs: Date.now() }
    const collection = `${database}.${name}`
    group.totalOrder++
    const dataCollectionOrder = (group.perTable.get(collection) ?? 0n) + 1n
    group.perTable.set(collection, dataCollectionOrder)
    return {
      source,
      tsMs: Date.now(),
      transaction: {
        id: group.gtid?.text ?? `${group.start.file}:${group.start.pos}`,
        totalOrder: group.totalOrder,
        dataCollectionOrder,
      },
    }
  }

  async #emit(event: ChangeEvent): Promise<void> {
    if (this.#group !== null) this.#group.emitted++
    this.#options.monitor.eventsSeen(1)
    await this.#options.sink.emit(event)
  }

  /** Ends the open transaction at the event that ends it; `endPos` is where the next starts. */
  async #end(event: BinlogEvent, endPos: number): Promise<void> {
    if (endPos === 0) {
      throw new CdcError(
        'CDC_MYSQL_BINLOG_CONFIG',
        `${event.typeName ?? 'an event'} at ${event.file}:${event.position} ends a transaction but has no binlog position (log_pos 0); on MariaDB 11.4+ set binlog_legacy_event_pos=ON`,
      )
    }
    const group = this.#group
    this.#group = null
    if (group?.gtid != null) this.#gtids.apply(group.gtid)
    const timeUs =
      group?.commitTimeUs ??
      (event.header.timestamp > 0
        ? BigInt(event.header.timestamp) * 1_000_000n
        : (group?.lastTimeUs ?? 0n))
    this.#boundary = {
      file: event.file,
      pos: endPos,
      gtids: this.#gtids.toString(),
      snapshotCompleted: true,
      tsMs: Number(timeUs / 1000n),
    }
    if (group !== null && group.emitted > 0) {
      this.#options.monitor.behindSource(Math.max(0, Date.now() - Number(timeUs / 1000n)))
      await this.#queueCommit(this.#boundary)
      return
    }
    await this.#commitIdle()
  }

  /** Commits the boundary of transactions without captured changes, at most once an interval. */
  async #commitIdle(): Promise<void> {
    const interval = this.#options.heartbeatIntervalMs
    if (interval <= 0 || this.#group !== null || this.#boundary === this.#committed) return
    if (Date.now() - this.#lastCommitAt < interval) return
    await this.#queueCommit(this.#boundary)
  }

  async #queueCommit(position: MysqlPosition): Promise<void> {
    this.#committed = position
    this.#lastCommitAt = Date.now()
    const committed = this.#options.sink.commit(encodePosition(position))
    // Handled here so an early rejection is not "unhandled"; the chain still sees it.
    committed.catch(() => undefined)
    this.#pending++
    this.#chain = this.#chain
      .then(() => committed)
      .then(() => {
        this.#pending--
      })
    this.#chain.catch((error: unknown) => {
      this.#failure ??= error instanceof Error ? error : new Error(String(error))
    })
    if (this.#pending >= (this.#options.maxPendingCommits ?? 64)) await this.#chain
  }

  /**
   * Commits the last boundary if it is not yet (a clean stop between transactions) and
   * resolves once every commit resolved; rejects with the first failed commit.
   */
  async finish(): Promise<void> {
    if (this.#group === null && this.#boundary !== this.#committed)
      await this.#queueCommit(this.#boundary)
    await this.#chain
  }
}
