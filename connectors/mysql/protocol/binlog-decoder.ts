import { CdcError } from '../../../common/errors.ts'
import { ByteReader } from './byte-reader.ts'
import { decodeEventBody } from './event-body.ts'
import {
  CHECKSUM_LENGTH,
  checksumMatches,
  HEADER_LENGTH,
  readEventHeader,
  verifyChecksum,
} from './event-header.ts'
import { EventType, eventTypeLabel, eventTypeName } from './event-types.ts'
import type { BinlogEvent, EventBody, EventHeader, FormatDescriptionEvent } from './events.ts'
import { decodeFormatDescription } from './format-description.ts'
import type { TableMap } from './table-map.ts'

export interface BinlogDecoderOptions {
  /** The binlog file the first events belong to; every ROTATE event replaces it. */
  file?: string
  /** Verify CRC32 checksums when the FORMAT_DESCRIPTION announces them (default true). */
  verifyChecksums?: boolean
  /**
   * Whether events that arrive before the first FORMAT_DESCRIPTION (the artificial ROTATE
   * that opens a dump) end in a CRC32: what the connector set `@master_binlog_checksum` to.
   * 'detect' (the default) takes a trailer that matches as a checksum.
   */
  checksumBeforeFormatDescription?: 'none' | 'crc32' | 'detect'
}

/** Where an event starts: its end (log_pos) minus its size; 0 when it has no position. */
function startOf(header: EventHeader): number {
  return header.logPos >= header.eventSize ? header.logPos - header.eventSize : 0
}

interface DecodeScope {
  position: number
  /** Events inside a TRANSACTION_PAYLOAD have no checksum of their own. */
  inPayload: boolean
}

/**
 * Decodes binlog events one at a time, as COM_BINLOG_DUMP delivers them (after the leading
 * OK byte) or as a binlog file holds them. It keeps what decoding later events needs: the
 * FORMAT_DESCRIPTION (checksums, post-header sizes), the current file name, and the table
 * maps by table id. Anything it cannot decode is a CdcError naming the event and position.
 */
export class BinlogDecoder {
  #file: string
  readonly #verify: boolean
  readonly #early: 'none' | 'crc32' | 'detect'
  #format: FormatDescriptionEvent | null = null
  readonly #tables = new Map<number, TableMap>()

  constructor(options: BinlogDecoderOptions = {}) {
    this.#file = options.file ?? ''
    this.#verify = options.verifyChecksums ?? true
    this.#early = options.checksumBeforeFormatDescription ?? 'detect'
  }

  /** The file the next event belongs to (updated by ROTATE). */
  get file(): string {
    return this.#file
  }

  /** The latest FORMAT_DESCRIPTION, or null before the first one. */
  get formatDescription(): FormatDescriptionEvent | null {
    return this.#format
  }

  /** The latest table map for a table id. */
  tableMap(tableId: number): TableMap | undefined {
    return this.#tables.get(tableId)
  }

  /** Decodes one COM_BINLOG_DUMP packet: a 0x00 byte, then one event. */
  decodePacket(packet: Buffer): BinlogEvent {
    if (packet.length === 0 || packet.readUInt8(0) !== 0) {
      const first = packet.length === 0 ? 'nothing' : `0x${packet.readUInt8(0).toString(16)}`
      throw new CdcError(
        'CDC_DECODE_INVALID',
        `a binlog dump packet starts with ${first} instead of 0x00; EOF (0xfe) and ERR (0xff) packets must be handled before decoding`,
      )
    }
    return this.decode(packet.subarray(1))
  }

  /**
   * Decodes one whole event (header, body, checksum). `position` is where it starts in its
   * file; without it the position is log_pos − event_size, or 0 for events that have no
   * position (artificial events, log_pos 0).
   */
  decode(event: Buffer, position?: number): BinlogEvent {
    const header = this.#header(event, position)
    return this.#decode(event, header, { position: position ?? startOf(header), inPayload: false })
  }

  #header(event: Buffer, position: number | undefined): EventHeader {
    if (event.length < HEADER_LENGTH) {
      throw new CdcError(
        'CDC_DECODE_TRUNCATED',
        `a binlog event at ${this.#file}:${position ?? '?'} has ${event.length} bytes, fewer than its 19-byte header`,
      )
    }
    const header = readEventHeader(event)
    if (header.eventSize !== event.length) {
      const at = position ?? startOf(header)
      throw new CdcError(
        header.eventSize > event.length ? 'CDC_DECODE_TRUNCATED' : 'CDC_DECODE_INVALID',
        `${eventTypeLabel(header.type)} at ${this.#file}:${at} declares ${header.eventSize} bytes but ${event.length} were given`,
        { details: { eventType: header.type, file: this.#file, position: at } },
      )
    }
    return header
  }

  #decode(event: Buffer, header: EventHeader, scope: DecodeScope): BinlogEvent {
    const file = this.#file
    const label = eventTypeLabel(header.type)
    const where = `${file}:${scope.position}${scope.inPayload ? ' (inside a TRANSACTION_PAYLOAD)' : ''}`
    let body: EventBody
    try {
      body =
        header.type === EventType.FORMAT_DESCRIPTION_EVENT
          ? this.#formatDescription(event, label, where)
          : this.#body(event, header, scope, label, where)
    } catch (error) {
      if (!(error instanceof CdcError) || error.code === 'CDC_DECODE_CHECKSUM') throw error
      throw new CdcError(error.code, `${label} at ${where}: ${error.message}`, {
        cause: error,
        details: { ...error.details, eventType: label, file, position: scope.position },
      })
    }
    const decoded: BinlogEvent = {
      header,
      typeName: eventTypeName(header.type) ?? null,
      file,
      position: scope.position,
      ...body,
    }
    this.#remember(decoded)
    return decoded
  }

  #formatDescription(event: Buffer, label: string, where: string): EventBody {
    const { body, checksumLength } = decodeFormatDescription(new ByteReader(event, HEADER_LENGTH))
    if (checksumLength > 0 && this.#verify) verifyChecksum(event, label, where)
    return body
  }

  #body(
    event: Buffer,
    header: EventHeader,
    scope: DecodeScope,
    label: string,
    where: string,
  ): EventBody {
    const format = this.#format
    let crc: boolean
    if (scope.inPayload) crc = false
    else if (format !== null) crc = format.checksum === 'crc32'
    else crc = this.#early === 'crc32' || (this.#early === 'detect' && checksumMatches(event))
    if (crc && this.#verify) verifyChecksum(event, label, where)
    const end = event.length - (crc ? CHECKSUM_LENGTH : 0)
    const headerLength = format?.headerLength ?? HEADER_LENGTH
    return decodeEventBody(header, new ByteReader(event, headerLength, end), {
      postHeaderLength: (type) => format?.postHeaderLengths[type - 1],
      mariadb: format?.mariadb ?? false,
      tableMap: (tableId) => this.#tables.get(tableId),
      decodePayload: (events) => this.#payload(events, scope.position),
    })
  }

  /** The inner events of a TRANSACTION_PAYLOAD, each a whole event with no checksum. */
  #payload(events: Buffer, position: number): BinlogEvent[] {
    const decoded: BinlogEvent[] = []
    let offset = 0
    while (offset < events.length) {
      if (events.length - offset < HEADER_LENGTH) {
        throw new CdcError(
          'CDC_DECODE_TRUNCATED',
          `the payload ends with ${events.length - offset} bytes, fewer than an event header`,
        )
      }
      const size = events.readUInt32LE(offset + 9)
      const event = events.subarray(offset, offset + size)
      decoded.push(
        this.#decode(event, this.#header(event, position), { position, inPayload: true }),
      )
      offset += size
    }
    return decoded
  }

  #remember(event: BinlogEvent): void {
    if (event.kind === 'formatDescription') {
      this.#format = event
      this.#tables.clear()
    } else if (event.kind === 'tableMap') {
      this.#tables.set(event.tableMap.tableId, event.tableMap)
    } else if (event.kind === 'rotate') {
      this.#file = event.nextFile
    }
  }
}
