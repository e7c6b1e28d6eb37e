import { CdcError } from '../../../common/errors.ts'
import type { ByteReader } from './byte-reader.ts'
import {
  decodeAnnotateRows,
  decodeBinlogCheckpoint,
  decodeHeartbeat,
  decodeHeartbeatV2,
  decodeIncident,
  decodeRotate,
  decodeRowsQuery,
  decodeXaPrepare,
  decodeXid,
} from './control-events.ts'
import { EventFlag, EventType, eventTypeLabel, eventTypeName } from './event-types.ts'
import type { BinlogEvent, EventBody, EventHeader } from './events.ts'
import {
  decodeMariadbGtid,
  decodeMariadbGtidList,
  decodeMysqlGtid,
  decodePreviousGtids,
} from './gtid-events.ts'
import { decodeQuery } from './query-event.ts'
import { decodeRowsEvent, isRowsEventType } from './rows-event.ts'
import type { TableMap } from './table-map.ts'
import { decodeTableMap } from './table-map.ts'
import { readTransactionPayload } from './transaction-payload.ts'

/** What the body decoders need from the decoder's state. */
export interface BodyContext {
  /** The FORMAT_DESCRIPTION's post-header length of a type, if it has one. */
  postHeaderLength: (type: number) => number | undefined
  mariadb: boolean
  tableMap: (tableId: number) => TableMap | undefined
  decodePayload: (events: Buffer) => BinlogEvent[]
}

/** Known types that carry nothing a row-based change stream needs. */
const otherTypes = new Set<number>([
  EventType.START_EVENT_V3,
  EventType.INTVAR_EVENT,
  EventType.LOAD_EVENT,
  EventType.SLAVE_EVENT,
  EventType.CREATE_FILE_EVENT,
  EventType.APPEND_BLOCK_EVENT,
  EventType.EXEC_LOAD_EVENT,
  EventType.DELETE_FILE_EVENT,
  EventType.NEW_LOAD_EVENT,
  EventType.RAND_EVENT,
  EventType.USER_VAR_EVENT,
  EventType.BEGIN_LOAD_QUERY_EVENT,
  EventType.EXECUTE_LOAD_QUERY_EVENT,
  EventType.IGNORABLE_LOG_EVENT,
  EventType.TRANSACTION_CONTEXT_EVENT,
  EventType.VIEW_CHANGE_EVENT,
])

/** Known types the decoder refuses, with what to change on the server. */
const unsupported = new Map<number, string>([
  [EventType.PRE_GA_WRITE_ROWS_EVENT, 'pre-GA MySQL 5.1 row events are not supported'],
  [EventType.PRE_GA_UPDATE_ROWS_EVENT, 'pre-GA MySQL 5.1 row events are not supported'],
  [EventType.PRE_GA_DELETE_ROWS_EVENT, 'pre-GA MySQL 5.1 row events are not supported'],
  [
    EventType.PARTIAL_UPDATE_ROWS_EVENT,
    "partial JSON updates cannot be turned into full row images; set binlog_row_value_options='' on the server",
  ],
  [
    EventType.GTID_TAGGED_LOG_EVENT,
    'MySQL 8.3+ tagged GTIDs are not supported; do not use tagged GTIDs',
  ],
  [
    EventType.START_ENCRYPTION_EVENT,
    'the binlog is encrypted (encrypt_binlog=ON) and the events after this one cannot be read; turn binlog encryption off',
  ],
  [
    EventType.PARTIAL_ROW_DATA_EVENT,
    'MariaDB 12.3+ fragmented row events are not supported; keep rows below the fragmentation threshold',
  ],
])

/** The table id is 4 bytes in binlogs whose post-header for the type is 6 bytes, else 6. */
function tableIdSize(postHeaderLength: number | undefined): number {
  return postHeaderLength === 6 ? 4 : 6
}

/** Decodes the body of any event but FORMAT_DESCRIPTION. */
export function decodeEventBody(
  header: EventHeader,
  body: ByteReader,
  context: BodyContext,
): EventBody {
  const type = header.type
  if (isRowsEventType(type)) {
    return decodeRowsEvent(type, body, {
      tableIdSize: tableIdSize(context.postHeaderLength(type)),
      tableMap: context.tableMap,
    })
  }
  switch (type) {
    case EventType.QUERY_EVENT:
    case EventType.QUERY_COMPRESSED_EVENT:
      return decodeQuery(
        body,
        context.postHeaderLength(type) ?? 13,
        type === EventType.QUERY_COMPRESSED_EVENT,
      )
    case EventType.STOP_EVENT:
      return { kind: 'stop' }
    case EventType.ROTATE_EVENT:
      return decodeRotate(body)
    case EventType.XID_EVENT:
      return decodeXid(body)
    case EventType.TABLE_MAP_EVENT:
      return {
        kind: 'tableMap',
        tableMap: decodeTableMap(body, {
          tableIdSize: tableIdSize(context.postHeaderLength(type)),
          mariadb: context.mariadb,
        }),
      }
    case EventType.INCIDENT_EVENT:
      return decodeIncident(body)
    case EventType.HEARTBEAT_LOG_EVENT:
      return decodeHeartbeat(body, header.logPos)
    case EventType.HEARTBEAT_LOG_EVENT_V2:
      return decodeHeartbeatV2(body)
    case EventType.ROWS_QUERY_LOG_EVENT:
      return decodeRowsQuery(body)
    case EventType.GTID_LOG_EVENT:
    case EventType.ANONYMOUS_GTID_LOG_EVENT:
      return decodeMysqlGtid(body, type === EventType.ANONYMOUS_GTID_LOG_EVENT)
    case EventType.PREVIOUS_GTIDS_LOG_EVENT:
      return decodePreviousGtids(body)
    case EventType.XA_PREPARE_LOG_EVENT:
      return decodeXaPrepare(body)
    case EventType.TRANSACTION_PAYLOAD_EVENT: {
      const payload = readTransactionPayload(body)
      return {
        kind: 'transactionPayload',
        compression: payload.compression,
        compressedSize: payload.compressedSize,
        uncompressedSize: payload.uncompressedSize,
        events: context.decodePayload(payload.events),
      }
    }
    case EventType.ANNOTATE_ROWS_EVENT:
      return decodeAnnotateRows(body)
    case EventType.BINLOG_CHECKPOINT_EVENT:
      return decodeBinlogCheckpoint(body)
    case EventType.GTID_EVENT:
      return decodeMariadbGtid(body, header.serverId)
    case EventType.GTID_LIST_EVENT:
      return decodeMariadbGtidList(body)
  }
  const refusal = unsupported.get(type)
  if (refusal !== undefined) throw new CdcError('CDC_DECODE_UNSUPPORTED', refusal)
  if (otherTypes.has(type)) return { kind: 'other', body: body.rest() }
  if (eventTypeName(type) === undefined && (header.flags & EventFlag.IGNORABLE) !== 0) {
    return { kind: 'ignorable', body: body.rest() }
  }
  throw new CdcError(
    'CDC_DECODE_UNKNOWN_MESSAGE',
    `${eventTypeLabel(type)} is not an event this decoder knows (flags 0x${header.flags.toString(16)}); it may carry row changes, so decoding stops instead of skipping it. Check the server version and settings`,
  )
}
