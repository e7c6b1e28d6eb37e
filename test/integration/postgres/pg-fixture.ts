import pg from 'pg'
import type { ConnectorConfig } from '../../../connectors/plugin.ts'
import { testEnv } from '../../helpers/env.ts'
import { uniqueName } from '../../helpers/names.ts'
import { waitFor } from '../../helpers/wait-for.ts'

/** A superuser connection for test setup, with values as text like the connector's. */
export async function adminClient(): Promise<pg.Client> {
  const client = new pg.Client({
    ...testEnv.postgres,
    types: { getTypeParser: () => (value: string) => value },
  })
  await client.connect()
  return client
}

/**
 * Names for one test: a schema of its own (so table filters see only this test's tables),
 * a slot and a publication; `drop` removes all of them, slot first, even after failures.
 */
export class PgScope {
  readonly schema = uniqueName('cdc_pg')
  readonly slot = uniqueName('slot')
  readonly publication = uniqueName('pub')
  readonly name = uniqueName('conn')
  readonly admin: pg.Client

  constructor(admin: pg.Client) {
    this.admin = admin
  }

  static async create(): Promise<PgScope> {
    const scope = new PgScope(await adminClient())
    await scope.admin.query(`create schema ${scope.schema}`)
    return scope
  }

  config(extra: Record<string, string> = {}): ConnectorConfig {
    return {
      'connector.class': 'postgres',
      name: this.name,
      'database.hostname': testEnv.postgres.host,
      'database.port': String(testEnv.postgres.port),
      'database.user': testEnv.postgres.user,
      'database.dbname': testEnv.postgres.database,
      'database.sslmode': 'disable',
      'topic.prefix': 'test',
      'schema.include.list': this.schema,
      'slot.name': this.slot,
      'publication.name': this.publication,
      'publication.autocreate.mode': 'filtered',
      'heartbeat.interval.ms': '0',
      ...extra,
    }
  }

  table(name: string): string {
    return `${this.schema}.${name}`
  }

  async query(sql: string, params?: unknown[]): Promise<pg.QueryResult> {
    return this.admin.query(sql, params)
  }

  async slotRow(): Promise<
    { confirmed_flush_lsn: string; active: string; active_pid: string | null } | undefined
  > {
    const { rows } = await this.admin.query<{
      confirmed_flush_lsn: string
      active: string
      active_pid: string | null
    }>(
      'select confirmed_flush_lsn, active::text, active_pid from pg_replication_slots where slot_name = $1',
      [this.slot],
    )
    return rows[0]
  }

  /** Waits until no walsender holds the slot (a stopped run lets go a moment later). */
  async slotReleased(): Promise<void> {
    await waitFor('slot released', async () =>
      (await this.slotRow())?.active === 'true' ? undefined : true,
    )
  }

  async drop(): Promise<void> {
    try {
      await waitFor('slot inactive for drop', async () => {
        const row = await this.slotRow()
        if (row?.active_pid != null) {
          await this.admin.query('select pg_terminate_backend($1)', [Number(row.active_pid)])
          return undefined
        }
        return true
      })
      await this.admin.query(
        'select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1',
        [this.slot],
      )
    } finally {
      await this.admin.query(`drop publication if exists ${this.publication}`)
      await this.admin.query(`drop schema if exists ${this.schema} cascade`)
      await this.admin.end()
    }
  }
}
