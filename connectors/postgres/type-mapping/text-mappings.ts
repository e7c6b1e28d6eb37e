import { createHash } from 'node:crypto'
import { CdcError } from '../../../common/errors.ts'
import type { ConnectSchema, StructValue } from '../../../envelope/connect-schema.ts'
import * as semantic from '../../../envelope/semantic-types.ts'
import { hstoreToJson } from './hstore-text.ts'
import {
  primitive,
  textMapping,
  unavailableBytes,
  unavailablePlaceholder,
  type ValueMapping,
} from './value-mapping.ts'

/** bytea under bytea_output=hex (`\x0a0b`). */
export function bytea(optional: boolean): ValueMapping {
  return {
    schema: primitive('bytes', optional),
    convert(text) {
      if (!text.startsWith('\\x')) {
        throw new CdcError(
          'CDC_ENVELOPE_INVALID_VALUE',
          'bytea value is not in hex form; the connection must use bytea_output=hex',
        )
      }
      return new Uint8Array(Buffer.from(text.slice(2), 'hex'))
    },
    fallback: new Uint8Array(0),
    unavailable: unavailableBytes,
  }
}

export function semanticText(schema: ConnectSchema): ValueMapping {
  return textMapping(schema)
}

export function enumeration(labels: readonly string[], optional: boolean): ValueMapping {
  return textMapping(semantic.enumeration(labels, { optional }))
}

/** Debezium's TsVector: the server's text under a semantic name. */
export function tsvector(optional: boolean): ValueMapping {
  return textMapping({ type: 'string', optional, name: 'io.debezium.data.TsVector', version: 1 })
}

export function hstore(optional: boolean): ValueMapping {
  return {
    schema: semantic.json({ optional }),
    convert: (text) => hstoreToJson(text),
    fallback: '',
    unavailable: `{"${unavailablePlaceholder}":"${unavailablePlaceholder}"}`,
  }
}

/**
 * bit(n) and varbit(n): one bit is a boolean; more are Debezium's Bits, little-endian bytes
 * of the bit string read as a binary number (last character = bit 0), in the fewest bytes.
 */
export function bits(typmod: number, optional: boolean): ValueMapping {
  const length = typmod > 0 ? typmod : 2147483647
  if (length === 1) {
    return {
      schema: primitive('boolean', optional),
      convert: (text) => text.includes('1'),
      fallback: false,
      unavailable: null,
    }
  }
  return {
    schema: semantic.bits(length, { optional }),
    convert(text) {
      let value = text === '' ? 0n : BigInt(`0b${text}`)
      const bytes: number[] = []
      while (value > 0n) {
        bytes.push(Number(value & 0xffn))
        value >>= 8n
      }
      return new Uint8Array(bytes)
    },
    fallback: new Uint8Array(0),
    unavailable: null,
  }
}

/** WKB of a point (little-endian), as Debezium's Point.createValue builds it. */
function pointWkb(x: number, y: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(21))
  view.setUint8(0, 1)
  view.setUint32(1, 1, true)
  view.setFloat64(5, x, true)
  view.setFloat64(13, y, true)
  return new Uint8Array(view.buffer)
}

function pointValue(x: number, y: number): StructValue {
  return { x, y, wkb: pointWkb(x, y), srid: null }
}

export function point(optional: boolean): ValueMapping {
  return {
    schema: semantic.point({ optional }),
    convert(text) {
      const match = /^\(([^,]+),([^)]+)\)$/.exec(text)
      if (match === null)
        throw new CdcError(
          'CDC_ENVELOPE_INVALID_VALUE',
          `cannot read point ${JSON.stringify(text)}`,
        )
      return pointValue(Number(match[1]), Number(match[2]))
    },
    fallback: pointValue(0, 0),
    unavailable: null,
  }
}

/** Java's UUID.nameUUIDFromBytes (an MD5, version 3 UUID). */
export function nameUuidFromBytes(bytes: Uint8Array): string {
  const hash = createHash('md5').update(bytes).digest()
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x30
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80
  const hex = hash.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
