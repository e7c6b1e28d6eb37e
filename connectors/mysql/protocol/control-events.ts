import type { ByteReader } from './byte-reader.ts'
import type {
  AnnotateRowsEvent,
  BinlogCheckpointEvent,
  EventBody,
  HeartbeatEvent,
  IncidentEvent,
  RotateEvent,
  RowsQueryEvent,
  XaPrepareEvent,
  XidEvent,
} from './events.ts'

/** ROTATE (4): the position in the next file (64-bit), then its name to the end. */
export function decodeRotate(body: ByteReader): EventBody<RotateEvent> {
  const nextPosition = body.u64('the rotate position')
  return { kind: 'rotate', nextPosition, nextFile: body.rest().toString('utf8') }
}

/** XID (16): the storage engine's transaction id; the commit of an InnoDB transaction. */
export function decodeXid(body: ByteReader): EventBody<XidEvent> {
  const xid = body.u64('the XID')
  body.expectEnd('the XID event')
  return { kind: 'xid', xid }
}

/** HEARTBEAT (27): the current file name; the position is the header's log_pos. */
export function decodeHeartbeat(body: ByteReader, logPos: number): EventBody<HeartbeatEvent> {
  return {
    kind: 'heartbeat',
    version: 1,
    logFile: body.rest().toString('utf8'),
    logPosition: BigInt(logPos),
  }
}

const HeartbeatField = { END: 0, LOG_FILENAME: 1, LOG_POSITION: 2 } as const

/**
 * HEARTBEAT_V2 (41, MySQL 8.0.26+): TLV fields (lenenc type, lenenc length, value) for the
 * file name and a length-encoded 64-bit position, ended by type 0. Like the server, unknown
 * fields are passed over by their length: a heartbeat carries no data that could be lost.
 */
export function decodeHeartbeatV2(body: ByteReader): EventBody<HeartbeatEvent> {
  let logFile = ''
  let logPosition: bigint | null = null
  while (!body.atEnd()) {
    const type = body.lenenc('a heartbeat field type')
    if (type === HeartbeatField.END) break
    const value = body.sub(body.lenenc('a heartbeat field length'), 'a heartbeat field')
    if (type === HeartbeatField.LOG_FILENAME) logFile = value.rest().toString('utf8')
    else if (type === HeartbeatField.LOG_POSITION)
      logPosition = value.lenencBig('the heartbeat position')
    else value.rest()
    value.expectEnd(`heartbeat field ${type}`)
  }
  body.expectEnd('the HEARTBEAT_V2 event')
  return { kind: 'heartbeat', version: 2, logFile, logPosition }
}

/** ANNOTATE_ROWS (160, MariaDB): the statement behind the rows events that follow. */
export function decodeAnnotateRows(body: ByteReader): EventBody<AnnotateRowsEvent> {
  return { kind: 'annotateRows', query: body.rest().toString('utf8') }
}

/** ROWS_QUERY (29, MySQL): a length byte (ignored: it overflows above 255), then the text. */
export function decodeRowsQuery(body: ByteReader): EventBody<RowsQueryEvent> {
  body.skip(1, 'the ROWS_QUERY length byte')
  return { kind: 'rowsQuery', query: body.rest().toString('utf8') }
}

/** BINLOG_CHECKPOINT (161, MariaDB): the oldest binlog file still needed for crash recovery. */
export function decodeBinlogCheckpoint(body: ByteReader): EventBody<BinlogCheckpointEvent> {
  const length = body.u32('the checkpoint file name length')
  const checkpointFile = body.bytes(length, 'the checkpoint file name').toString('utf8')
  body.expectEnd('the BINLOG_CHECKPOINT event')
  return { kind: 'binlogCheckpoint', checkpointFile }
}

/** INCIDENT (26): something happened that may have left the stream incomplete. */
export function decodeIncident(body: ByteReader): EventBody<IncidentEvent> {
  const incident = body.u16('the incident type')
  const message = body.atEnd()
    ? ''
    : body.bytes(body.u8('the incident message length')).toString('utf8')
  return { kind: 'incident', incident, message }
}

/** XA_PREPARE (38): one-phase flag, format id, gtrid and bqual lengths, then the XID data. */
export function decodeXaPrepare(body: ByteReader): EventBody<XaPrepareEvent> {
  const onePhase = body.u8('the one-phase flag') !== 0
  const formatId = body.i32('the XA format id')
  const gtridLength = body.u32('the XA gtrid length')
  const bqualLength = body.u32('the XA bqual length')
  const gtrid = body.bytes(gtridLength, 'the XA gtrid')
  const bqual = body.bytes(bqualLength, 'the XA bqual')
  body.expectEnd('the XA_PREPARE event')
  return { kind: 'xaPrepare', onePhase, formatId, gtrid, bqual }
}
