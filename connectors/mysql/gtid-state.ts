import { MariadbGtidPosition, MysqlGtidSet } from './gtid.ts'
import type { BinlogEvent } from './protocol/index.ts'

/** The GTID of one transaction as its GTID event gives it. */
export type TransactionGtid =
  | { kind: 'mariadb'; domain: number; server: number; sequence: bigint; text: string }
  | { kind: 'mysql'; sid: string; gno: bigint; text: string }

export function transactionGtid(event: BinlogEvent): TransactionGtid | null {
  if (event.kind === 'mariadbGtid') {
    return {
      kind: 'mariadb',
      domain: event.domainId,
      server: event.serverId,
      sequence: event.sequence,
      text: event.gtid,
    }
  }
  if (event.kind === 'mysqlGtid' && event.gtid !== null) {
    return { kind: 'mysql', sid: event.sid, gno: event.gno, text: event.gtid }
  }
  return null
}

/**
 * The GTID position of everything committed so far, in the server flavor's form: what
 * a restart hands back to the server (MariaDB @slave_connect_state, MySQL's executed set).
 */
export class GtidState {
  readonly #mariadb: MariadbGtidPosition | null
  readonly #mysql: MysqlGtidSet | null

  constructor(mariadb: boolean, text: string) {
    this.#mariadb = mariadb ? MariadbGtidPosition.parse(text) : null
    this.#mysql = mariadb ? null : MysqlGtidSet.parse(text)
  }

  apply(gtid: TransactionGtid): void {
    if (gtid.kind === 'mariadb') {
      this.#mariadb?.apply({ domain: gtid.domain, server: gtid.server, sequence: gtid.sequence })
    } else {
      this.#mysql?.add(gtid.sid, gtid.gno)
    }
  }

  toString(): string {
    return (this.#mariadb ?? this.#mysql ?? '').toString()
  }
}
