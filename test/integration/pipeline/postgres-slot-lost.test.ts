// A slot invalidated by max_slot_wal_keep_size while its connector was stopped: resuming
// the connector ends in FAILED with CDC_PG_SLOT_LOST and says what to do, instead of
// streaming from a point after the lost WAL. Changes a server setting for the duration of
// the test (tests run one file at a time) and restores it.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { KafkaClient } from '../../../kafka/kafka-client.ts'
import { testEnv } from '../../helpers/env.ts'
import { uniqueName } from '../../helpers/names.ts'
import {
  api,
  cdcBin,
  isolatedServiceEnv,
  startServiceProcess,
  type ServiceProcess,
} from '../../helpers/service-process.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { PgScope } from '../postgres/pg-fixture.ts'

interface Status {
  connector: { state: string; trace?: string }
  phase: string | null
  error: { code: string; message: string } | null
}

const kafka = new KafkaClient({ brokers: testEnv.kafkaBrokers, clientId: 'test-slot-lost' })
const topics: string[] = []
let service: ServiceProcess | undefined

after(async () => {
  service?.kill('SIGKILL')
  await kafka.admin.deleteTopics(topics).catch(() => undefined)
  await kafka.close()
})

describe('Postgres slot lost', () => {
  it('a connector whose slot lost its WAL while stopped goes FAILED with CDC_PG_SLOT_LOST', async () => {
    const scope = await PgScope.create()
    const env = isolatedServiceEnv()
    const prefix = uniqueName('lost')
    topics.push(...Object.values(env), `${prefix}.${scope.schema}.t`)
    const table = scope.table('t')
    await scope.admin.query(`create table ${table} (id serial primary key, payload text)`)
    service = await startServiceProcess(cdcBin, env)
    const running = service
    const status = async () =>
      (await api<Status>(running.url, 'GET', `/connectors/${scope.name}/status`)).body
    try {
      const config = { ...scope.config({ 'topic.prefix': prefix }), name: scope.name }
      assert.equal(
        (await api(running.url, 'POST', '/connectors', { name: scope.name, config })).status,
        201,
      )
      await waitFor('streaming', async () =>
        (await status()).phase === 'streaming' ? true : undefined,
      )
      assert.equal((await api(running.url, 'PUT', `/connectors/${scope.name}/stop`)).status, 204)
      await waitFor('STOPPED', async () =>
        (await status()).connector.state === 'STOPPED' ? true : undefined,
      )

      await scope.admin.query(`alter system set max_slot_wal_keep_size = '1MB'`)
      await scope.admin.query('select pg_reload_conf()')
      try {
        await waitFor(
          'the slot to be lost',
          async () => {
            // Each round writes a few MB of WAL and moves past it, so the checkpoint may
            // remove the segments the stopped slot still needs.
            await scope.admin.query(
              `insert into ${table} (payload) select repeat('x', 1000) from generate_series(1, 3000)`,
            )
            await scope.admin.query('select pg_switch_wal()')
            await scope.admin.query('checkpoint')
            const { rows } = await scope.admin.query<{ wal_status: string }>(
              'select wal_status from pg_replication_slots where slot_name = $1',
              [scope.slot],
            )
            return rows[0]?.wal_status === 'lost' ? true : undefined
          },
          { timeoutMs: 60_000, intervalMs: 200 },
        )
      } finally {
        await scope.admin.query('alter system reset max_slot_wal_keep_size')
        await scope.admin.query('select pg_reload_conf()')
      }

      assert.equal((await api(running.url, 'PUT', `/connectors/${scope.name}/resume`)).status, 202)
      const failed = await waitFor('FAILED', async () => {
        const s = await status()
        return s.connector.state === 'FAILED' ? s : undefined
      })
      assert.equal(failed.error?.code, 'CDC_PG_SLOT_LOST')
      assert.match(failed.error.message, new RegExp(scope.slot))
    } finally {
      running.kill('SIGTERM')
      await running.exited
      await scope.drop()
    }
  })
})
