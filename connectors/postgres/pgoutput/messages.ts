import type { Lsn } from '../lsn.ts'

/**
 * pgoutput protocol version 1 messages (PostgreSQL "Logical Replication Message Formats"),
 * with every integer the server sends unsigned kept unsigned (xid, OIDs) and every LSN as
 * bigint. Tuple values stay as the server's text so that one converter serves the stream
 * and the snapshot.
 */

/** A column the server did not send because its TOASTed value did not change. */
export const unchangedToast: unique symbol = Symbol('unchanged-toast')
export type UnchangedToast = typeof unchangedToast

/** One column of TupleData: server text, SQL null, or "unchanged TOAST, not sent". */
export type TupleValue = string | null | UnchangedToast

export interface BeginMessage {
  tag: 'begin'
  /** LSN of the commit record (Commit.commitLsn). */
  finalLsn: Lsn
  /** Commit time, microseconds since the Unix epoch. */
  commitTimeUs: bigint
  xid: number
}

export interface CommitMessage {
  tag: 'commit'
  flags: number
  commitLsn: Lsn
  /** End of the commit record: the position to confirm once the transaction is durable. */
  endLsn: Lsn
  commitTimeUs: bigint
}

export interface OriginMessage {
  tag: 'origin'
  originLsn: Lsn
  name: string
}

export const replicaIdentities = ['d', 'n', 'f', 'i'] as const
export type ReplicaIdentity = (typeof replicaIdentities)[number]

export interface RelationColumn {
  /** Part of the replica identity (flag bit 1). */
  isKey: boolean
  name: string
  typeOid: number
  typeMod: number
}

export interface RelationMessage {
  tag: 'relation'
  relationId: number
  /** Empty string means pg_catalog. */
  schema: string
  name: string
  replicaIdentity: ReplicaIdentity
  columns: readonly RelationColumn[]
}

export interface TypeMessage {
  tag: 'type'
  typeOid: number
  schema: string
  name: string
}

export interface InsertMessage {
  tag: 'insert'
  relationId: number
  newTuple: readonly TupleValue[]
}

/** `key`: only replica identity columns are meaningful (K); `old`: the whole old row (O). */
export type OldTupleKind = 'key' | 'old'

export interface UpdateMessage {
  tag: 'update'
  relationId: number
  oldKind: OldTupleKind | null
  oldTuple: readonly TupleValue[] | null
  newTuple: readonly TupleValue[]
}

export interface DeleteMessage {
  tag: 'delete'
  relationId: number
  oldKind: OldTupleKind
  oldTuple: readonly TupleValue[]
}

export interface TruncateMessage {
  tag: 'truncate'
  cascade: boolean
  restartIdentity: boolean
  relationIds: readonly number[]
}

export interface LogicalMessage {
  tag: 'message'
  transactional: boolean
  lsn: Lsn
  prefix: string
  content: Uint8Array
}

export type PgoutputMessage =
  | BeginMessage
  | CommitMessage
  | OriginMessage
  | RelationMessage
  | TypeMessage
  | InsertMessage
  | UpdateMessage
  | DeleteMessage
  | TruncateMessage
  | LogicalMessage
