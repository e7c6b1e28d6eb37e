import type {
  BinlogEvent,
  ColumnValue,
  EventHeader,
  MysqlGtidEvent,
  QueryEvent,
  RowsEvent,
  TableMap,
  XidEvent,
} from '../../../../connectors/mysql/protocol/index.ts'

/**
 * Decoded binlog events built by hand, in the shapes the binlog decoder returns, for the
 * MySQL flows no server here can produce.
 */

export const file = 'binlog.000001'
export const sid = '3e11fa47-71ca-11e1-9e33-c80aa9429562'

function header(type: number, logPos: number, eventSize = 40): EventHeader {
  return { timestamp: 1_700_000_000, type, serverId: 7, eventSize, logPos, flags: 0 }
}

function base(type: number, logPos: number) {
  const head = header(type, logPos)
  return { header: head, typeName: null, file, position: logPos - head.eventSize }
}

export function mysqlGtid(gno: bigint, logPos: number, anonymous = false): MysqlGtidEvent {
  return {
    ...base(anonymous ? 34 : 33, logPos),
    kind: 'mysqlGtid',
    anonymous,
    gtidFlags: 1,
    sid,
    gno,
    gtid: anonymous ? null : `${sid}:${gno}`,
    lastCommitted: null,
    sequenceNumber: null,
    immediateCommitTimestamp: 1_700_000_000_123_456n,
    originalCommitTimestamp: 1_700_000_000_123_456n,
    transactionLength: null,
    immediateServerVersion: null,
    originalServerVersion: null,
    commitGroupTicket: null,
  }
}

export function query(text: string, logPos: number, schema = 'shop'): QueryEvent {
  return {
    ...base(2, logPos),
    kind: 'query',
    threadId: 99,
    execTime: 0,
    errorCode: 0,
    schema,
    statusVars: {},
    query: text,
    queryBytes: Buffer.from(text),
    compressed: false,
  }
}

export function xid(logPos: number): XidEvent {
  return { ...base(16, logPos), kind: 'xid', xid: 1n }
}

export function tableMapEvent(map: TableMap, logPos: number): BinlogEvent {
  return { ...base(19, logPos), kind: 'tableMap', tableMap: map }
}

export function insertRows(map: TableMap, values: ColumnValue[][], logPos: number): RowsEvent {
  return {
    ...base(30, logPos),
    kind: 'rows',
    action: 'insert',
    version: 2,
    compressed: false,
    tableId: map.tableId,
    flags: 1,
    table: map,
    extraData: null,
    columnsPresent: map.columns.map(() => true),
    columnsPresentAfter: null,
    rows: values.map((after) => ({ before: null, after })),
  }
}

export function heartbeat(logPos: number): BinlogEvent {
  return {
    ...base(27, logPos),
    kind: 'heartbeat',
    version: 1,
    logFile: file,
    logPosition: BigInt(logPos),
  }
}
