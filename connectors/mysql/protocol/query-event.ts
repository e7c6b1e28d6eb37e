import { CdcError } from '../../../common/errors.ts'
import type { ByteReader } from './byte-reader.ts'
import type { EventBody, QueryEvent } from './events.ts'
import { inflateMariadbBlock } from './mariadb-compression.ts'
import { readQueryStatusVars } from './query-status-vars.ts'

/** The QUERY post-header of binlog v4: thread id, exec time, db length, error code, vars length. */
const QUERY_POST_HEADER = 13

/**
 * QUERY (2) and MariaDB QUERY_COMPRESSED (165): BEGIN/COMMIT/XA and DDL text, the default
 * database and the session state (status variables) the statement ran under.
 */
export function decodeQuery(
  body: ByteReader,
  postHeaderLength: number,
  compressed: boolean,
): EventBody<QueryEvent> {
  if (postHeaderLength < QUERY_POST_HEADER) {
    throw new CdcError(
      'CDC_DECODE_UNSUPPORTED',
      `QUERY post-header of ${postHeaderLength} bytes predates binlog v4 status variables`,
    )
  }
  const threadId = body.u32('the thread id')
  const execTime = body.u32('the execution time')
  const schemaLength = body.u8('the database name length')
  const errorCode = body.u16('the error code')
  const statusVarsLength = body.u16('the status variables length')
  body.skip(postHeaderLength - QUERY_POST_HEADER, 'the rest of the post-header')
  const statusVars = readQueryStatusVars(body.sub(statusVarsLength, 'the status variables'))
  const schema = body.bytes(schemaLength, 'the database name').toString('utf8')
  if (body.u8('the NUL after the database name') !== 0) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      'the database name of a QUERY event is not NUL-terminated',
    )
  }
  const text = body.rest()
  const queryBytes = compressed ? inflateMariadbBlock(text) : text
  return {
    kind: 'query',
    threadId,
    execTime,
    errorCode,
    schema,
    statusVars,
    query: queryBytes.toString('utf8'),
    queryBytes,
    compressed,
  }
}
