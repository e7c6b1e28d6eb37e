import { CdcError } from '../../common/errors.ts'
import type { SnapshotMode } from './config.ts'
import { formatLsn, type Lsn } from './lsn.ts'
import type { PgPosition } from './position.ts'

export interface SlotState {
  confirmedFlushLsn: Lsn | null
  restartLsn: Lsn | null
  walStatus: string | null
  activePid: number | null
}

/**
 * What a run does first, from the snapshot mode, the stored position and the slot, as
 * Debezium's snapshotters decide it. A snapshot always starts from a slot created for it
 * (`recreateSlot`), because only a new slot exports the snapshot that matches its start.
 */
export type StartPlan =
  | { kind: 'snapshot'; recreateSlot: boolean; stream: boolean }
  | { kind: 'stream'; from: Lsn; createSlot: boolean }
  | { kind: 'done' }

function slotLost(slot: string): CdcError {
  return new CdcError(
    'CDC_PG_SLOT_LOST',
    `replication slot ${slot} was invalidated (wal_status = lost): the WAL it needed was removed (max_slot_wal_keep_size) and changes were lost. Drop the slot (SELECT pg_drop_replication_slot('${slot}')) and take a new snapshot, or set snapshot.mode=when_needed to let the connector do both`,
  )
}

function unavailable(slot: string, why: string): CdcError {
  return new CdcError(
    'CDC_PG_POSITION_UNAVAILABLE',
    `the stored position cannot be resumed from slot ${slot}: ${why}; changes since then are gone from the slot. Set snapshot.mode=when_needed (or always) to take a new snapshot, or delete the connector's stored position`,
  )
}

export function planStart(
  mode: SnapshotMode,
  position: PgPosition | null,
  slot: SlotState | null,
  slotName: string,
): StartPlan {
  if (mode === 'initial_only')
    return position?.snapshotCompleted === true
      ? { kind: 'done' }
      : { kind: 'snapshot', recreateSlot: false, stream: false }
  if (mode === 'always') return { kind: 'snapshot', recreateSlot: true, stream: true }
  if (mode === 'no_data') {
    if (position === null) {
      if (slot?.walStatus === 'lost') throw slotLost(slotName)
      return slot === null
        ? { kind: 'stream', from: 0n, createSlot: true }
        : { kind: 'stream', from: slot.confirmedFlushLsn ?? 0n, createSlot: false }
    }
    return (
      resume(position, slot, slotName, false) ?? {
        kind: 'stream',
        from: position.lsn,
        createSlot: false,
      }
    )
  }
  if (position === null || !position.snapshotCompleted)
    return { kind: 'snapshot', recreateSlot: true, stream: true }
  return (
    resume(position, slot, slotName, mode === 'when_needed') ?? {
      kind: 'stream',
      from: position.lsn,
      createSlot: false,
    }
  )
}

/** Null when streaming can resume at the stored LSN; a snapshot plan or an error otherwise. */
function resume(
  position: PgPosition,
  slot: SlotState | null,
  slotName: string,
  resnapshot: boolean,
): StartPlan | null {
  if (slot?.walStatus === 'lost') {
    if (resnapshot) return { kind: 'snapshot', recreateSlot: true, stream: true }
    throw slotLost(slotName)
  }
  let why: string | null = null
  if (slot === null) why = 'the slot does not exist'
  else if (slot.confirmedFlushLsn !== null && slot.confirmedFlushLsn > position.lsn) {
    why = `the slot was confirmed up to ${formatLsn(slot.confirmedFlushLsn)}, past the stored ${formatLsn(position.lsn)} (another consumer, or a slot re-created under the same name)`
  }
  if (why === null) return null
  if (resnapshot) return { kind: 'snapshot', recreateSlot: true, stream: true }
  throw unavailable(slotName, why)
}
