import type { ColumnValue } from './column-value.ts'
import type { EventTypeName } from './event-types.ts'
import type { QueryStatusVars } from './query-status-vars.ts'
import type { TableMap } from './table-map.ts'

/** The 19-byte v4 common header. */
export interface EventHeader {
  /** Seconds since the epoch when the statement started (0 for artificial events). */
  timestamp: number
  type: number
  /** The server that originally wrote the event. */
  serverId: number
  /** Header + body + checksum. */
  eventSize: number
  /** End of this event in its file = start of the next; 0 for artificial and in-payload events. */
  logPos: number
  flags: number
}

interface EventBase {
  header: EventHeader
  /** The server's name of the type, e.g. `WRITE_ROWS_EVENT_V1`; IGNORABLE unknowns are `null`. */
  typeName: EventTypeName | null
  /** The binlog file the event belongs to, as far as the decoder knows (see BinlogDecoder). */
  file: string
  /** Start offset of the event in `file` (Debezium's `source.pos`); see BinlogDecoder.decode. */
  position: number
}

export type ChecksumAlgorithm = 'none' | 'crc32'

export interface FormatDescriptionEvent extends EventBase {
  kind: 'formatDescription'
  binlogVersion: number
  serverVersion: string
  mariadb: boolean
  createTimestamp: number
  headerLength: number
  /** Post-header length of event type i+1 at index i. */
  postHeaderLengths: readonly number[]
  /** Checksum of the events that follow; null for servers older than checksums (< 5.6.1). */
  checksum: ChecksumAlgorithm | null
}

export interface RotateEvent extends EventBase {
  kind: 'rotate'
  nextFile: string
  nextPosition: bigint
}

export interface QueryEvent extends EventBase {
  kind: 'query'
  threadId: number
  execTime: number
  errorCode: number
  /** The default database of the statement ('' when none). */
  schema: string
  statusVars: QueryStatusVars
  /** The statement text decoded as UTF-8; `queryBytes` is in the client charset (statusVars.charset). */
  query: string
  queryBytes: Buffer
  /** QUERY_COMPRESSED_EVENT (MariaDB log_bin_compress), already inflated. */
  compressed: boolean
}

export interface XidEvent extends EventBase {
  kind: 'xid'
  xid: bigint
}

export interface TableMapEvent extends EventBase {
  kind: 'tableMap'
  tableMap: TableMap
}

/** Column values by column index; undefined for columns the image does not include. */
export type RowImage = readonly (ColumnValue | undefined)[]

export interface RowChange {
  /** Delete and update: the old row. */
  before: RowImage | null
  /** Insert and update: the new row. */
  after: RowImage | null
}

export interface RowsExtraData {
  /** The raw extra-data TLVs (v2 rows events). */
  raw: Buffer
  partitionId: number | null
  sourcePartitionId: number | null
}

export interface RowsEvent extends EventBase {
  kind: 'rows'
  action: 'insert' | 'update' | 'delete'
  /** 1: MySQL 5.1–5.5 and MariaDB (23–25, 166–168); 2: MySQL 5.6+ (30–32, 169–171). */
  version: 1 | 2
  /** A MariaDB *_ROWS_COMPRESSED_* event, already inflated. */
  compressed: boolean
  tableId: number
  /** 0x1 STMT_END_F, 0x2 NO_FOREIGN_KEY_CHECKS_F, 0x4 RELAXED_UNIQUE_CHECKS_F, 0x8 COMPLETE_ROWS_F. */
  flags: number
  table: TableMap
  extraData: RowsExtraData | null
  /** Columns in the before image (delete, update) or the after image (insert). */
  columnsPresent: readonly boolean[]
  /** Update only: columns in the after image. */
  columnsPresentAfter: readonly boolean[] | null
  rows: readonly RowChange[]
}

export interface MysqlGtidEvent extends EventBase {
  kind: 'mysqlGtid'
  anonymous: boolean
  /** 1 when the transaction may commit in parallel ("commit flag"). */
  gtidFlags: number
  /** Source id, lower-case UUID text. */
  sid: string
  gno: bigint
  /** `sid:gno`, or null for ANONYMOUS_GTID. */
  gtid: string | null
  lastCommitted: bigint | null
  sequenceNumber: bigint | null
  /** Microseconds since the epoch (MySQL 8.0.1+). */
  immediateCommitTimestamp: bigint | null
  originalCommitTimestamp: bigint | null
  transactionLength: bigint | null
  immediateServerVersion: number | null
  originalServerVersion: number | null
  commitGroupTicket: bigint | null
}

export interface GtidInterval {
  start: bigint
  /** Exclusive. */
  end: bigint
}

export interface PreviousGtidsEvent extends EventBase {
  kind: 'previousGtids'
  sets: readonly { sid: string; intervals: readonly GtidInterval[] }[]
  /** MySQL's text form, e.g. `3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7`. */
  gtidSet: string
}

export interface MariadbXid {
  formatId: number
  gtrid: Buffer
  bqual: Buffer
}

export interface MariadbGtidEvent extends EventBase {
  kind: 'mariadbGtid'
  domainId: number
  /** The server id comes from the common header. */
  serverId: number
  sequence: bigint
  /** `domain-server-sequence`. */
  gtid: string
  /** 0x01 STANDALONE, 0x02 GROUP_COMMIT_ID, 0x04 TRANSACTIONAL, 0x08 ALLOW_PARALLEL, 0x10 WAITED, 0x20 DDL, 0x40 PREPARED_XA, 0x80 COMPLETED_XA. */
  gtidFlags: number
  /** No XID/COMMIT ends the group (DDL, non-transactional statements). */
  standalone: boolean
  commitId: bigint | null
  xid: MariadbXid | null
  flagsExtra: number
  extraEngines: number | null
  startAlterSequence: bigint | null
}

export interface MariadbGtidListEvent extends EventBase {
  kind: 'mariadbGtidList'
  /** The top 4 bits of the count field. */
  listFlags: number
  gtids: readonly { domainId: number; serverId: number; sequence: bigint }[]
}

export interface BinlogCheckpointEvent extends EventBase {
  kind: 'binlogCheckpoint'
  checkpointFile: string
}

export interface AnnotateRowsEvent extends EventBase {
  kind: 'annotateRows'
  query: string
}

export interface RowsQueryEvent extends EventBase {
  kind: 'rowsQuery'
  query: string
}

export interface HeartbeatEvent extends EventBase {
  kind: 'heartbeat'
  version: 1 | 2
  /** The file the server is positioned in. */
  logFile: string
  /** The position it reached (v1: the header's log_pos; v2: null when the server sent none). */
  logPosition: bigint | null
}

export interface TransactionPayloadEvent extends EventBase {
  kind: 'transactionPayload'
  compression: 'zstd' | 'none'
  compressedSize: number
  uncompressedSize: number
  /** The inner events (QUERY BEGIN, TABLE_MAP, rows, XID), decoded with the outer position. */
  events: readonly BinlogEvent[]
}

export interface IncidentEvent extends EventBase {
  kind: 'incident'
  incident: number
  message: string
}

export interface StopEvent extends EventBase {
  kind: 'stop'
}

export interface XaPrepareEvent extends EventBase {
  kind: 'xaPrepare'
  onePhase: boolean
  formatId: number
  gtrid: Buffer
  bqual: Buffer
}

/**
 * A known event type that carries nothing a row-based CDC stream needs (INTVAR, RAND,
 * USER_VAR, LOAD DATA blocks, TRANSACTION_CONTEXT, VIEW_CHANGE, IGNORABLE_LOG_EVENT, ...).
 */
export interface OtherEvent extends EventBase {
  kind: 'other'
  body: Buffer
}

/** An unknown type that the server flagged LOG_EVENT_IGNORABLE_F (e.g. Aurora padding). */
export interface IgnorableEvent extends EventBase {
  kind: 'ignorable'
  body: Buffer
}

export type BinlogEvent =
  | FormatDescriptionEvent
  | RotateEvent
  | QueryEvent
  | XidEvent
  | TableMapEvent
  | RowsEvent
  | MysqlGtidEvent
  | PreviousGtidsEvent
  | MariadbGtidEvent
  | MariadbGtidListEvent
  | BinlogCheckpointEvent
  | AnnotateRowsEvent
  | RowsQueryEvent
  | HeartbeatEvent
  | TransactionPayloadEvent
  | IncidentEvent
  | StopEvent
  | XaPrepareEvent
  | OtherEvent
  | IgnorableEvent

/** Each event kind without the fields every event has, as the body decoders return them. */
export type EventBody<E extends BinlogEvent = BinlogEvent> = E extends BinlogEvent
  ? Omit<E, keyof EventBase>
  : never
