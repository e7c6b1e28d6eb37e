import { CdcError } from '../../../common/errors.ts'

/**
 * How the bytes of a text column in the binlog turn into a string: by the column's
 * character set. MySQL's latin1 is really cp1252, and its ucs2/utf16/utf32 are big-endian.
 * (Snapshot rows need none of this: the server converts them to the connection's utf8mb4.)
 */
const whatwgNames: Readonly<Record<string, string>> = {
  utf8mb4: 'utf-8',
  utf8mb3: 'utf-8',
  utf8: 'utf-8',
  ascii: 'windows-1252',
  latin1: 'windows-1252',
  latin2: 'iso-8859-2',
  latin5: 'iso-8859-9',
  latin7: 'iso-8859-13',
  greek: 'iso-8859-7',
  hebrew: 'iso-8859-8',
  cp1250: 'windows-1250',
  cp1251: 'windows-1251',
  cp1256: 'windows-1256',
  cp1257: 'windows-1257',
  cp866: 'ibm866',
  koi8r: 'koi8-r',
  koi8u: 'koi8-u',
  macroman: 'macintosh',
  tis620: 'windows-874',
  sjis: 'shift_jis',
  cp932: 'shift_jis',
  ujis: 'euc-jp',
  eucjpms: 'euc-jp',
  euckr: 'euc-kr',
  gbk: 'gbk',
  gb2312: 'gbk',
  gb18030: 'gb18030',
  big5: 'big5',
  ucs2: 'utf-16be',
  utf16: 'utf-16be',
  utf16le: 'utf-16le',
}

export type TextDecoding = (bytes: Uint8Array) => string

function utf32(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let text = ''
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) {
    text += String.fromCodePoint(view.getUint32(offset, false))
  }
  return text
}

const cache = new Map<string, TextDecoding>()

/** The decoder for a MySQL character set name; throws for sets without one. */
export function textDecoding(charset: string, column: string): TextDecoding {
  const name = charset.toLowerCase()
  const cached = cache.get(name)
  if (cached !== undefined) return cached
  let decoding: TextDecoding
  if (name === 'utf32') {
    decoding = utf32
  } else {
    const label = whatwgNames[name]
    if (label === undefined) {
      throw new CdcError(
        'CDC_ENVELOPE_UNSUPPORTED_TYPE',
        `${column} uses character set ${charset}, which the connector cannot decode; convert the column (ALTER TABLE ... CONVERT TO CHARACTER SET utf8mb4) or exclude it with column.exclude.list`,
      )
    }
    const decoder = new TextDecoder(label)
    decoding = (bytes) => decoder.decode(bytes)
  }
  cache.set(name, decoding)
  return decoding
}
