/**
 * Connect's Decimal, Debezium's VariableScaleDecimal and Avro's decimal logical type all
 * carry the unscaled value as Java's `BigInteger.toByteArray()` does: big-endian two's
 * complement in the fewest bytes that keep the sign bit (0 is one zero byte, 128 is 00 80).
 */

export function unscaledToBytes(unscaled: bigint): Uint8Array {
  let length = 1
  // Grow until the value fits in `length` signed bytes.
  while (BigInt.asIntN(length * 8, unscaled) !== unscaled) length++
  const bytes = new Uint8Array(length)
  let rest = BigInt.asUintN(length * 8, unscaled)
  for (let index = length - 1; index >= 0; index--) {
    bytes[index] = Number(rest & 0xffn)
    rest >>= 8n
  }
  return bytes
}

/** Reads big-endian two's complement; an empty array reads as 0 rather than failing. */
export function bytesToUnscaled(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n
  let value = 0n
  for (const byte of bytes) value = (value << 8n) | BigInt(byte)
  return BigInt.asIntN(bytes.length * 8, value)
}
