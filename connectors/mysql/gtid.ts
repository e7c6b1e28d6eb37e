import { CdcError } from '../../common/errors.ts'

/**
 * GTID positions in the two flavors' text forms. MariaDB: one `domain-server-sequence` per
 * replication domain (`0-1-240,1-2-17`), the last transaction applied in each. MySQL: a set
 * of `uuid:interval[:interval]` (`3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7`), every
 * transaction applied.
 */

function invalid(text: string, why: string): CdcError {
  return new CdcError(
    'CDC_MYSQL_POSITION_UNAVAILABLE',
    `${JSON.stringify(text)} is not a valid GTID position (${why}); delete the connector's stored position to start over`,
  )
}

export interface MariadbGtid {
  domain: number
  server: number
  sequence: bigint
}

/** MariaDB's GTID position: the latest GTID per domain, in domain order. */
export class MariadbGtidPosition {
  readonly #domains = new Map<number, MariadbGtid>()

  static parse(text: string): MariadbGtidPosition {
    const position = new MariadbGtidPosition()
    for (const part of text.split(',').map((item) => item.trim())) {
      if (part === '') continue
      const match = /^(\d+)-(\d+)-(\d+)$/.exec(part)
      if (match === null)
        throw invalid(text, `${JSON.stringify(part)} is not domain-server-sequence`)
      const domain = Number(match[1])
      if (position.#domains.has(domain)) throw invalid(text, `domain ${domain} appears twice`)
      position.#domains.set(domain, {
        domain,
        server: Number(match[2]),
        sequence: BigInt(match[3] ?? '0'),
      })
    }
    return position
  }

  get isEmpty(): boolean {
    return this.#domains.size === 0
  }

  /** Records a transaction: it becomes its domain's latest. */
  apply(gtid: MariadbGtid): void {
    this.#domains.set(gtid.domain, gtid)
  }

  get(domain: number): MariadbGtid | undefined {
    return this.#domains.get(domain)
  }

  clone(): MariadbGtidPosition {
    const copy = new MariadbGtidPosition()
    for (const gtid of this.#domains.values()) copy.apply(gtid)
    return copy
  }

  toString(): string {
    return [...this.#domains.values()]
      .sort((a, b) => a.domain - b.domain)
      .map((gtid) => `${gtid.domain}-${gtid.server}-${gtid.sequence}`)
      .join(',')
  }
}

export interface GtidInterval {
  start: bigint
  /** Exclusive, as the binary form stores it. */
  end: bigint
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** MySQL's executed GTID set: per source uuid, the transaction numbers as merged intervals. */
export class MysqlGtidSet {
  readonly #sids = new Map<string, GtidInterval[]>()

  static parse(text: string): MysqlGtidSet {
    const set = new MysqlGtidSet()
    for (const part of text.replace(/\s+/g, '').split(',')) {
      if (part === '') continue
      const [sid = '', ...ranges] = part.toLowerCase().split(':')
      if (!uuidPattern.test(sid)) throw invalid(text, `${JSON.stringify(sid)} is not a uuid`)
      if (ranges.length === 0) throw invalid(text, `${sid} has no transaction numbers`)
      for (const range of ranges) {
        const match = /^(\d+)(?:-(\d+))?$/.exec(range)
        if (match === null) {
          throw invalid(
            text,
            `${JSON.stringify(range)} is not n or n-m (tagged GTIDs are not supported)`,
          )
        }
        const start = BigInt(match[1] ?? '0')
        const last = match[2] === undefined ? start : BigInt(match[2])
        if (start < 1n || last < start) throw invalid(text, `${range} is not an interval of n >= 1`)
        set.#addInterval(sid, { start, end: last + 1n })
      }
    }
    return set
  }

  get isEmpty(): boolean {
    return this.#sids.size === 0
  }

  /** Adds one transaction `sid:gno`. */
  add(sid: string, gno: bigint): void {
    this.#addInterval(sid.toLowerCase(), { start: gno, end: gno + 1n })
  }

  contains(sid: string, gno: bigint): boolean {
    return (this.#sids.get(sid.toLowerCase()) ?? []).some(
      (interval) => interval.start <= gno && gno < interval.end,
    )
  }

  /** Source uuids in text order with their intervals. */
  entries(): { sid: string; intervals: readonly GtidInterval[] }[] {
    return [...this.#sids.keys()]
      .sort()
      .map((sid) => ({ sid, intervals: this.#sids.get(sid) ?? [] }))
  }

  clone(): MysqlGtidSet {
    return MysqlGtidSet.parse(this.toString())
  }

  toString(): string {
    return this.entries()
      .map(
        ({ sid, intervals }) =>
          `${sid}:${intervals
            .map(({ start, end }) => (end - start === 1n ? `${start}` : `${start}-${end - 1n}`))
            .join(':')}`,
      )
      .join(',')
  }

  #addInterval(sid: string, added: GtidInterval): void {
    const intervals = [...(this.#sids.get(sid) ?? []), added].sort((a, b) =>
      a.start < b.start ? -1 : a.start > b.start ? 1 : 0,
    )
    const merged: GtidInterval[] = []
    for (const interval of intervals) {
      const last = merged.at(-1)
      if (last !== undefined && interval.start <= last.end) {
        if (interval.end > last.end)
          merged[merged.length - 1] = { start: last.start, end: interval.end }
      } else {
        merged.push(interval)
      }
    }
    this.#sids.set(sid, merged)
  }
}
