import { randomInt } from 'node:crypto'
import mysql from 'mysql2/promise'
import type { ConnectorConfig } from '../../../connectors/plugin.ts'
import { testEnv } from '../../helpers/env.ts'
import { uniqueName } from '../../helpers/names.ts'

/** A server id no concurrent dump uses (the server drops the older of two equal ids). */
export function uniqueServerId(): string {
  return String(randomInt(100_000, 4_000_000_000))
}

/** Where a scope's server listens: the shared one, or a test's own (PrivateMariadb). */
export interface MysqlServer {
  host: string
  port: number
  user: string
}

/**
 * One test's database on the shared MariaDB (or the given server), so that database filters see only this
 * test's tables; `drop` removes it (and any users made) even after failures.
 */
export class MysqlScope {
  readonly database = uniqueName('cdc_my')
  readonly name = uniqueName('conn')
  readonly admin: mysql.Connection
  readonly server: MysqlServer
  readonly #users: string[] = []

  private constructor(admin: mysql.Connection, server: MysqlServer) {
    this.admin = admin
    this.server = server
  }

  static async create(server: MysqlServer = testEnv.mariadb): Promise<MysqlScope> {
    const admin = await mysql.createConnection({
      host: server.host,
      port: server.port,
      user: server.user,
      charset: 'UTF8MB4_GENERAL_CI',
      multipleStatements: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
    })
    const scope = new MysqlScope(admin, server)
    await admin.query(`CREATE DATABASE \`${scope.database}\``)
    await admin.query(`USE \`${scope.database}\``)
    return scope
  }

  config(extra: Record<string, string> = {}): ConnectorConfig {
    return {
      'connector.class': 'mariadb',
      name: this.name,
      'database.hostname': this.server.host,
      'database.port': String(this.server.port),
      'database.user': this.server.user,
      'database.server.id': uniqueServerId(),
      'database.ssl.mode': 'disabled',
      'topic.prefix': 'test',
      'database.include.list': this.database,
      'heartbeat.interval.ms': '1000',
      ...extra,
    }
  }

  async query(sql: string, values?: unknown[]): Promise<unknown> {
    const [result] = await this.admin.query(sql, values)
    return result
  }

  /** A user of this test (dropped with the scope), with the given global grants. */
  async user(grants: string): Promise<string> {
    const user = uniqueName('cdc_user')
    this.#users.push(user)
    await this.admin.query(`CREATE USER '${user}'@'%'`)
    if (grants !== '') await this.admin.query(`GRANT ${grants} TO '${user}'@'%'`)
    return user
  }

  async drop(): Promise<void> {
    try {
      for (const user of this.#users) await this.admin.query(`DROP USER IF EXISTS '${user}'@'%'`)
      await this.admin.query(`DROP DATABASE IF EXISTS \`${this.database}\``)
    } finally {
      await this.admin.end()
    }
  }
}
