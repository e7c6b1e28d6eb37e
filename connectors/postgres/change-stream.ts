import { CdcError } from '../../common/errors.ts'
import type { ChangeEvent, TransactionInfo } from '../../envelope/change-event.ts'
import type { StructValue } from '../../envelope/connect-schema.ts'
import type { ConnectorMonitor } from '../plugin.ts'
import type { ChangeSink } from '../ports.ts'
import { buildRow, keyOf, type CapturedTable } from './captured-table.ts'
import type { Lsn } from './lsn.ts'
import { unchangedToast, type PgoutputMessage, type TupleValue } from './pgoutput/messages.ts'
import { encodePosition } from './position.ts'
import type { RelationTables } from './relation-tables.ts'
import type { StreamItem } from './replication-stream.ts'
import { sourceBlock } from './source-info.ts'

export interface ChangeStreamOptions {
  sink: ChangeSink
  monitor: ConnectorMonitor
  relations: Pick<RelationTables, 'define' | 'get'>
  source: { version: string; name: string; db: string }
  topicPrefix: string
  provideTransactionMetadata: boolean
  /** 0 turns keepalive confirmations off. */
  heartbeatIntervalMs: number
  /** Where the stream started: already committed and confirmed. */
  startLsn: Lsn
  /** Sends a durable LSN to the slot. */
  confirm: (lsn: Lsn) => void
  /** A position commit failed after its transaction was handled. */
  fail: (error: unknown) => void
  /** Commits allowed to wait for the sink at once before the stream waits too. */
  maxPendingCommits?: number
}

interface OpenTransaction {
  xid: number
  /** Debezium's transaction id, `txId:LSN`: xids wrap around, the commit LSN does not. */
  id: string
  commitTimeUs: bigint
  totalOrder: bigint
  perTable: Map<string, bigint>
}

/**
 * Turns pgoutput messages into ChangeEvents for the sink, in order, awaiting each emit
 * (backpressure), and commits each transaction's end LSN. A position is confirmed to the
 * slot only after the sink's commit for it resolved, in commit order; a keepalive's WAL
 * end is committed and confirmed only between transactions, when every change before it
 * has been handed to the sink.
 */
export class ChangeStream {
  readonly #options: ChangeStreamOptions
  #transaction: OpenTransaction | null = null
  #lastCommitLsn: Lsn
  #queuedLsn: Lsn
  #lastTx: { xid: number; timeUs: bigint } | null = null
  #chain: Promise<void> = Promise.resolve()
  #pending = 0
  #lastKeepaliveCommit = 0

  constructor(options: ChangeStreamOptions) {
    this.#options = options
    this.#lastCommitLsn = options.startLsn
    this.#queuedLsn = options.startLsn
  }

  get inTransaction(): boolean {
    return this.#transaction !== null
  }

  /** Resolves when every commit issued so far resolved (and was confirmed). */
  settled(): Promise<void> {
    return this.#chain
  }

  async handle(item: StreamItem): Promise<void> {
    if (item.kind === 'keepalive') {
      await this.#keepalive(item.walEnd)
      return
    }
    await this.#message(item.lsn, item.message)
  }

  async #message(lsn: Lsn, message: PgoutputMessage): Promise<void> {
    const { relations } = this.#options
    switch (message.tag) {
      case 'begin':
        this.#transaction = {
          xid: message.xid,
          id: `${String(message.xid)}:${String(message.finalLsn)}`,
          commitTimeUs: message.commitTimeUs,
          totalOrder: 0n,
          perTable: new Map(),
        }
        return
      case 'commit':
        await this.#commit(message.endLsn, message.commitTimeUs)
        return
      case 'relation':
        await relations.define(message)
        return
      case 'type':
      case 'origin':
        return
      case 'insert': {
        const table = relations.get(message.relationId)
        if (table === null) return
        const after = buildRow(table, (column) => tupleValue(message.newTuple, column.index))
        await this.#emitRow(table, 'c', null, after, lsn)
        return
      }
      case 'update':
        await this.#update(lsn, message)
        return
      case 'delete': {
        const table = relations.get(message.relationId)
        if (table === null) return
        const before = buildRow(table, (column) => tupleValue(message.oldTuple, column.index))
        await this.#emitRow(table, 'd', before, null, lsn)
        return
      }
      case 'truncate':
        for (const relationId of message.relationIds) {
          const table = relations.get(relationId)
          if (table !== null)
            await this.#emit({
              kind: 'truncate',
              op: 't',
              table: table.schema,
              ...this.#base(table, lsn),
            })
        }
        return
      case 'message':
        await this.#logicalMessage(lsn, message)
        return
    }
  }

  async #update(lsn: Lsn, message: Extract<PgoutputMessage, { tag: 'update' }>): Promise<void> {
    const table = this.#options.relations.get(message.relationId)
    if (table === null) return
    const old = message.oldTuple
    // Under REPLICA IDENTITY FULL the old row carries TOASTed values the new tuple omits.
    const after = buildRow(table, (column) => {
      const value = tupleValue(message.newTuple, column.index)
      return value === unchangedToast && message.oldKind === 'old' && old !== null
        ? tupleValue(old, column.index)
        : value
    })
    const before = old === null ? null : buildRow(table, (column) => tupleValue(old, column.index))
    const keyKnown =
      before !== null &&
      table.schema.keyColumns.length > 0 &&
      (message.oldKind === 'old' ||
        table.schema.keyColumns.every((name) => table.identityColumns.includes(name)))
    if (keyKnown && keyOf(table, before) !== keyOf(table, after)) {
      // Debezium turns a key change into a delete of the old key and a create of the new one.
      await this.#emitRow(table, 'd', before, null, lsn)
      await this.#emitRow(table, 'c', null, after, lsn)
      return
    }
    await this.#emitRow(table, 'u', before, after, lsn)
  }

  async #logicalMessage(
    lsn: Lsn,
    message: Extract<PgoutputMessage, { tag: 'message' }>,
  ): Promise<void> {
    const transaction = message.transactional ? this.#transaction : null
    const source = sourceBlock({
      ...this.#options.source,
      timeUs: transaction?.commitTimeUs ?? BigInt(Date.now()) * 1000n,
      snapshot: 'false',
      lastCommitLsn: this.#lastCommitLsn,
      lsn: message.lsn === 0n ? lsn : message.lsn,
      txId: transaction?.xid ?? null,
      schema: '',
      table: '',
    })
    await this.#emit({
      kind: 'message',
      op: 'm',
      topic: `${this.#options.topicPrefix}.message`,
      prefix: message.prefix,
      content: message.content,
      source,
      tsMs: Date.now(),
    })
  }

  #base(
    table: CapturedTable,
    lsn: Lsn,
  ): { source: ChangeEvent['source']; tsMs: number; transaction?: TransactionInfo } {
    const transaction = this.#transaction
    if (transaction === null) {
      throw new CdcError(
        'CDC_DECODE_INVALID',
        `pgoutput sent a change of ${table.schema.id.schema}.${table.schema.id.table} outside a transaction`,
      )
    }
    const source = sourceBlock({
      ...this.#options.source,
      timeUs: transaction.commitTimeUs,
      snapshot: 'false',
      lastCommitLsn: this.#lastCommitLsn,
      lsn,
      txId: transaction.xid,
      schema: table.schema.id.schema,
      table: table.schema.id.table,
    })
    if (!this.#options.provideTransactionMetadata) return { source, tsMs: Date.now() }
    const collection = `${table.schema.id.schema}.${table.schema.id.table}`
    transaction.totalOrder++
    const dataCollectionOrder = (transaction.perTable.get(collection) ?? 0n) + 1n
    transaction.perTable.set(collection, dataCollectionOrder)
    return {
      source,
      tsMs: Date.now(),
      transaction: {
        id: transaction.id,
        totalOrder: transaction.totalOrder,
        dataCollectionOrder,
      },
    }
  }

  async #emitRow(
    table: CapturedTable,
    op: 'c' | 'u' | 'd',
    before: StructValue | null,
    after: StructValue | null,
    lsn: Lsn,
  ): Promise<void> {
    await this.#emit({
      kind: 'row',
      op,
      table: table.schema,
      before,
      after,
      ...this.#base(table, lsn),
    })
  }

  async #emit(event: ChangeEvent): Promise<void> {
    this.#options.monitor.eventsSeen(1)
    await this.#options.sink.emit(event)
  }

  async #commit(endLsn: Lsn, commitTimeUs: bigint): Promise<void> {
    const transaction = this.#transaction
    if (transaction === null)
      throw new CdcError('CDC_DECODE_INVALID', 'pgoutput sent a Commit without a Begin')
    this.#transaction = null
    this.#lastCommitLsn = endLsn
    this.#lastTx = { xid: transaction.xid, timeUs: commitTimeUs }
    this.#options.monitor.behindSource(Math.max(0, Date.now() - Number(commitTimeUs / 1000n)))
    await this.#queueCommit(endLsn)
  }

  async #keepalive(walEnd: Lsn): Promise<void> {
    const interval = this.#options.heartbeatIntervalMs
    if (interval <= 0 || this.#transaction !== null || walEnd <= this.#queuedLsn) return
    if (Date.now() - this.#lastKeepaliveCommit < interval) return
    this.#lastKeepaliveCommit = Date.now()
    await this.#queueCommit(walEnd)
  }

  async #queueCommit(lsn: Lsn): Promise<void> {
    if (lsn <= this.#queuedLsn) return
    this.#queuedLsn = lsn
    const position = encodePosition({
      lsn,
      snapshotCompleted: true,
      txId: this.#lastTx?.xid ?? null,
      tsUsec: this.#lastTx === null ? null : Number(this.#lastTx.timeUs),
    })
    const committed = this.#options.sink.commit(position)
    // Handled here so an early rejection is not "unhandled"; the chain still sees it.
    committed.catch(() => undefined)
    this.#pending++
    this.#chain = this.#chain
      .then(() => committed)
      .then(() => {
        this.#pending--
        this.#options.confirm(lsn)
      })
    this.#chain.catch((error: unknown) => {
      this.#options.fail(error)
    })
    if (this.#pending >= (this.#options.maxPendingCommits ?? 64)) await this.#chain
  }
}

function tupleValue(tuple: readonly TupleValue[], index: number): TupleValue {
  if (index >= tuple.length) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `pgoutput tuple has ${tuple.length} columns, fewer than its Relation message announced`,
    )
  }
  return tuple[index] ?? null
}
