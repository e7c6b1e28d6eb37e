import { writeLsn, type Lsn } from './lsn.ts'

/** Milliseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01 UTC). */
const postgresEpochMs = 946_684_800_000

/**
 * A Standby Status Update ('r'): written, flushed and applied positions plus the client's
 * clock in µs since 2000-01-01. A logical slot's confirmed_flush_lsn takes the flushed
 * value exactly, so the caller passes the LSN to confirm, never LSN + 1.
 */
export function standbyStatusUpdate(
  confirmed: Lsn,
  nowMs: number,
  replyRequested = false,
): Uint8Array {
  const message = new Uint8Array(34)
  message[0] = 0x72
  writeLsn(message, 1, confirmed)
  writeLsn(message, 9, confirmed)
  writeLsn(message, 17, confirmed)
  new DataView(message.buffer).setBigInt64(25, BigInt(Math.trunc(nowMs) - postgresEpochMs) * 1000n)
  message[33] = replyRequested ? 1 : 0
  return message
}
