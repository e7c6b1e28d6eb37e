import { randomInt } from 'node:crypto'
import mysql from 'mysql2/promise'
import type { ConnectorConfig } from '../../../connectors/plugin.ts'
import { testEnv } from '../../helpers/env.ts'
import { uniqueName } from '../../helpers/names.ts'

/** A server id no concurrent dump uses (the server drops the older of two equal ids). */
export function uniqueServerId(): string {
  return String(randomInt(100_000, 4_000_000_000))
}

/**
 * One test's database on the shared MariaDB, so that database filters see only this
 * test's tables; `drop` removes it (and any users made) even after failures.
 */
export class MysqlScope {
  readonly database = uniqueName('cdc_my')
  readonly name = uniqueName('conn')
  readonly admin: mysql.Connection
  readonly #users: string[] = []

  private constructor(admin: mysql.Connection) {
    this.admin = admin
  }

  static async create(): Promise<MysqlScope> {
    const admin = await mysql.createConnection({
      host: testEnv.mariadb.host,
      port: testEnv.mariadb.port,
      user: testEnv.mariadb.user,
      charset: 'UTF8MB4_GENERAL_CI',
      multipleStatements: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
    })
    const scope = new MysqlScope(admin)
    await admin.query(`CREATE DATABASE \`${scope.database}\``)
    await admin.query(`USE \`${scope.database}\``)
    return scope
  }

  config(extra: Record<string, string> = {}): ConnectorConfig {
    return {
      'connector.class': 'mariadb',
      name: this.name,
      'database.hostname': testEnv.mariadb.host,
      'database.port': String(testEnv.mariadb.port),
      'database.user': testEnv.mariadb.user,
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
