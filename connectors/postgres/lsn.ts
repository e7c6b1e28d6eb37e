/**
 * PostgreSQL log sequence numbers. An LSN is an unsigned 64-bit byte position in the WAL; it
 * is written `X/Y` (two hex halves, unpadded by the server, zero-padded by some clients).
 * LSNs are compared and stored as bigint only: as strings `0/9` > `0/10`, and as numbers
 * they lose precision past 2^53.
 */
export type Lsn = bigint

const maxLsn = (1n << 64n) - 1n
const textForm = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/

/** Parses `16/B374D848` (padded or not). Throws a RangeError on anything else. */
export function parseLsn(text: string): Lsn {
  const match = textForm.exec(text.trim())
  if (match === null) throw new RangeError(`not an LSN: ${JSON.stringify(text)}`)
  return (BigInt(`0x${match[1] ?? '0'}`) << 32n) | BigInt(`0x${match[2] ?? '0'}`)
}

/** Formats as the server does: upper-case hex halves without padding (`16/B374D848`). */
export function formatLsn(lsn: Lsn): string {
  if (lsn < 0n || lsn > maxLsn) throw new RangeError(`LSN out of range: ${lsn}`)
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`
}

/** Reads an LSN written as a big-endian unsigned 64-bit integer (pgoutput, XLogData). */
export function readLsn(buffer: Uint8Array, offset: number): Lsn {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  return view.getBigUint64(offset)
}

/** Writes an LSN as a big-endian unsigned 64-bit integer (standby status updates). */
export function writeLsn(buffer: Uint8Array, offset: number, lsn: Lsn): void {
  if (lsn < 0n || lsn > maxLsn) throw new RangeError(`LSN out of range: ${lsn}`)
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  view.setBigUint64(offset, lsn)
}

export function maxOf(a: Lsn, b: Lsn): Lsn {
  return a > b ? a : b
}
