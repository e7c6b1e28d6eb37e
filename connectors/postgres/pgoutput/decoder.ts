import { CdcError } from '../../../common/errors.ts'
import { ByteReader } from './byte-reader.ts'
import {
  replicaIdentities,
  unchangedToast,
  type OldTupleKind,
  type PgoutputMessage,
  type RelationColumn,
  type ReplicaIdentity,
  type TupleValue,
} from './messages.ts'

/** Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01 UTC). */
const postgresEpochUs = 946_684_800_000_000n

const tagNames: Readonly<Record<string, string>> = {
  B: 'Begin',
  C: 'Commit',
  O: 'Origin',
  R: 'Relation',
  Y: 'Type',
  I: 'Insert',
  U: 'Update',
  D: 'Delete',
  T: 'Truncate',
  M: 'Message',
}

/**
 * Decodes one pgoutput (proto_version 1) message: the XLogData payload after its 25-byte
 * header. Pure: the caller keeps the relation cache. Anything unexpected throws a
 * CDC_DECODE_* error; nothing is skipped.
 */
export function decodePgoutput(payload: Uint8Array): PgoutputMessage {
  if (payload.length === 0) throw new CdcError('CDC_DECODE_TRUNCATED', 'empty pgoutput message')
  const tag = String.fromCharCode(payload[0] ?? 0)
  const name = tagNames[tag]
  if (name === undefined) {
    throw new CdcError(
      'CDC_DECODE_UNKNOWN_MESSAGE',
      `unknown pgoutput message type ${JSON.stringify(tag)} (0x${(payload[0] ?? 0).toString(16)}): only protocol version 1 without streaming or two-phase is supported`,
    )
  }
  const reader = new ByteReader(payload.subarray(1), name)
  const message = decodeBody(tag, reader)
  if (reader.remaining !== 0) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `pgoutput ${name} message has ${reader.remaining} unexpected trailing bytes`,
    )
  }
  return message
}

function decodeBody(tag: string, reader: ByteReader): PgoutputMessage {
  switch (tag) {
    case 'B':
      return {
        tag: 'begin',
        finalLsn: reader.uint64(),
        commitTimeUs: reader.int64() + postgresEpochUs,
        xid: reader.uint32(),
      }
    case 'C':
      return {
        tag: 'commit',
        flags: reader.uint8(),
        commitLsn: reader.uint64(),
        endLsn: reader.uint64(),
        commitTimeUs: reader.int64() + postgresEpochUs,
      }
    case 'O':
      return { tag: 'origin', originLsn: reader.uint64(), name: reader.cstring() }
    case 'R':
      return decodeRelation(reader)
    case 'Y':
      return {
        tag: 'type',
        typeOid: reader.uint32(),
        schema: reader.cstring(),
        name: reader.cstring(),
      }
    case 'I': {
      const relationId = reader.uint32()
      expectByte(reader, 'N', 'Insert')
      return { tag: 'insert', relationId, newTuple: decodeTuple(reader) }
    }
    case 'U':
      return decodeUpdate(reader)
    case 'D': {
      const relationId = reader.uint32()
      const oldKind = oldKindOf(reader.uint8(), 'Delete')
      return { tag: 'delete', relationId, oldKind, oldTuple: decodeTuple(reader) }
    }
    case 'T': {
      const count = reader.uint32()
      const options = reader.uint8()
      const relationIds: number[] = []
      for (let index = 0; index < count; index++) relationIds.push(reader.uint32())
      return {
        tag: 'truncate',
        cascade: (options & 1) !== 0,
        restartIdentity: (options & 2) !== 0,
        relationIds,
      }
    }
    default: {
      const flags = reader.uint8()
      const lsn = reader.uint64()
      const prefix = reader.cstring()
      const content = reader.bytes(reader.uint32())
      return { tag: 'message', transactional: (flags & 1) !== 0, lsn, prefix, content }
    }
  }
}

function decodeRelation(reader: ByteReader): PgoutputMessage {
  const relationId = reader.uint32()
  const schema = reader.cstring()
  const name = reader.cstring()
  const identity = String.fromCharCode(reader.uint8())
  if (!(replicaIdentities as readonly string[]).includes(identity)) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `pgoutput Relation ${schema}.${name} has unknown replica identity ${JSON.stringify(identity)}`,
    )
  }
  const count = reader.int16()
  const columns: RelationColumn[] = []
  for (let index = 0; index < count; index++) {
    const flags = reader.uint8()
    columns.push({
      isKey: (flags & 1) !== 0,
      name: reader.cstring(),
      typeOid: reader.uint32(),
      typeMod: reader.int32(),
    })
  }
  return {
    tag: 'relation',
    relationId,
    schema,
    name,
    replicaIdentity: identity as ReplicaIdentity,
    columns,
  }
}

function decodeUpdate(reader: ByteReader): PgoutputMessage {
  const relationId = reader.uint32()
  const marker = reader.uint8()
  if (marker === 0x4e)
    return {
      tag: 'update',
      relationId,
      oldKind: null,
      oldTuple: null,
      newTuple: decodeTuple(reader),
    }
  const oldKind = oldKindOf(marker, 'Update')
  const oldTuple = decodeTuple(reader)
  expectByte(reader, 'N', 'Update')
  return { tag: 'update', relationId, oldKind, oldTuple, newTuple: decodeTuple(reader) }
}

function oldKindOf(marker: number, what: string): OldTupleKind {
  if (marker === 0x4b) return 'key'
  if (marker === 0x4f) return 'old'
  throw new CdcError(
    'CDC_DECODE_INVALID',
    `pgoutput ${what} has ${JSON.stringify(String.fromCharCode(marker))} where K or O was expected`,
  )
}

function expectByte(reader: ByteReader, expected: string, what: string): void {
  const actual = reader.uint8()
  if (actual !== expected.charCodeAt(0)) {
    throw new CdcError(
      'CDC_DECODE_INVALID',
      `pgoutput ${what} has ${JSON.stringify(String.fromCharCode(actual))} where ${expected} was expected`,
    )
  }
}

function decodeTuple(reader: ByteReader): TupleValue[] {
  const count = reader.int16()
  const values: TupleValue[] = []
  for (let index = 0; index < count; index++) {
    const kind = reader.uint8()
    if (kind === 0x74) values.push(reader.text(reader.uint32()))
    else if (kind === 0x6e) values.push(null)
    else if (kind === 0x75) values.push(unchangedToast)
    else {
      throw new CdcError(
        'CDC_DECODE_INVALID',
        `pgoutput TupleData column ${index} has kind ${JSON.stringify(String.fromCharCode(kind))}; only text (t), null (n) and unchanged TOAST (u) are expected because binary mode is never requested`,
      )
    }
  }
  return values
}
