/**
 * Picks a fixture's events out of a shared binlog file without decoding them: only the
 * common header is read, so a decoder bug cannot shape its own test data.
 */
const MAGIC = Buffer.from([0xfe, 0x62, 0x69, 0x6e])
const FORMAT_DESCRIPTION = 15
const BINLOG_CHECKPOINT = 161
const MARIADB_GTID = 162
const GTID_LIST = 163

interface Raw {
  position: number
  type: number
  bytes: Buffer
}

function split(data: Buffer): Raw[] {
  if (!data.subarray(0, 4).equals(MAGIC)) throw new Error('not a binlog file')
  const events: Raw[] = []
  for (let position = 4; position < data.length;) {
    const size = data.readUInt32LE(position + 9)
    if (size < 19 || position + size > data.length)
      throw new Error(`bad event size ${size} at ${position}`)
    events.push({
      position,
      type: data.readUInt8(position + 4),
      bytes: data.subarray(position, position + size),
    })
    position += size
  }
  return events
}

/**
 * The file's opening events (FORMAT_DESCRIPTION, GTID_LIST, BINLOG_CHECKPOINT before the
 * first GTID) plus every GTID group from `from` on whose bytes name one of `tables`.
 */
export function selectEvents(data: Buffer, from: number, tables: string[]): Buffer {
  const events = split(data)
  const opening = events.filter(
    (e) => e.position < from && [FORMAT_DESCRIPTION, GTID_LIST, BINLOG_CHECKPOINT].includes(e.type),
  )
  const firstGtid = events.findIndex((e) => e.type === MARIADB_GTID)
  const head = opening.filter(
    (e) => firstGtid < 0 || e.position < (events[firstGtid]?.position ?? 0),
  )
  const groups: Raw[][] = []
  for (const event of events.filter((e) => e.position >= from)) {
    if (event.type === MARIADB_GTID || groups.length === 0) groups.push([])
    groups[groups.length - 1]?.push(event)
  }
  const names = tables.map((t) => Buffer.from(t, 'utf8'))
  const kept = groups.filter((group) =>
    group.some((e) => names.some((name) => e.bytes.includes(name))),
  )
  return Buffer.concat([MAGIC, ...head.map((e) => e.bytes), ...kept.flat().map((e) => e.bytes)])
}
