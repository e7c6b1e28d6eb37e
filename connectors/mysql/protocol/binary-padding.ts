import { CdcError } from '../../../common/errors.ts'

/**
 * The server drops trailing 0x00 bytes of BINARY(n) values (and so of MariaDB's UUID,
 * INET4 and INET6, which the binlog shows as BINARY(16)/(4)), and trailing spaces of CHAR.
 * These restore the stored value from the bytes on the wire and the column's `maxLength`.
 */
export function padBinary(bytes: Buffer, length: number): Buffer {
  if (bytes.length > length) {
    throw new CdcError('CDC_DECODE_INVALID', `a BINARY(${length}) value has ${bytes.length} bytes`)
  }
  if (bytes.length === length) return bytes
  return Buffer.concat([bytes, Buffer.alloc(length - bytes.length)])
}

/**
 * A MariaDB UUID column's text (the binlog carries the 16 bytes in text order, trailing zero
 * bytes stripped) [observed on MariaDB 10.11.19 for version 1 and 4 UUIDs].
 */
export function formatMariadbUuid(bytes: Buffer): string {
  const hex = padBinary(bytes, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A MariaDB INET4 column's dotted text. */
export function formatInet4(bytes: Buffer): string {
  return [...padBinary(bytes, 4)].join('.')
}

/**
 * A MariaDB INET6 column's text as the server prints it: IPv4-mapped (::ffff:a.b.c.d) and
 * IPv4-compatible (::a.b.c.d, when the 7th group is not zero) addresses in mixed form,
 * otherwise lower-case hex groups with the first longest run of zero groups as `::`. Unlike
 * RFC 5952, MariaDB also shortens a single zero group (`2001:db8::1:0:1:0:1`)
 * [observed on MariaDB 10.11.19 with CAST(x'…' AS INET6)].
 */
export function formatInet6(bytes: Buffer): string {
  const padded = padBinary(bytes, 16)
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) groups.push(padded.readUInt16BE(i))
  const dotted = [...padded.subarray(12)].join('.')
  if (groups.slice(0, 5).every((g) => g === 0)) {
    if (groups[5] === 0xffff) return `::ffff:${dotted}`
    if (groups[5] === 0 && groups[6] !== 0) return `::${dotted}`
  }
  let bestStart = -1
  let bestLength = 0
  for (let start = 0; start < 8; start++) {
    let end = start
    while (end < 8 && groups[end] === 0) end++
    if (end - start > bestLength) {
      bestStart = start
      bestLength = end - start
    }
  }
  const hex = groups.map((g) => g.toString(16))
  if (bestStart < 0) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`
}
