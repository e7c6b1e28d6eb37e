// The whole pipeline as users run it: `bin/cdc.ts` in a child process, a Postgres
// connector registered over REST, change events read back from Kafka by an independent
// client. The second test kills the service with SIGKILL ten times during a 50k-change
// workload and checks that every committed change arrived, in commit order per key.
import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { after, describe, it } from 'node:test'
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry'
import { bigintLongType } from '../../helpers/avro-decode.ts'
import { ServiceFleet } from '../../helpers/service-fleet.ts'
import { jsonPayload, readUntil } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
import { api, isolatedServiceEnv, type ServiceProcess } from '../../helpers/service-process.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { PgScope } from '../postgres/pg-fixture.ts'

const fleet = new ServiceFleet('test-pg-pipeline')
const { topics } = fleet
const start = (env: Record<string, string>): Promise<ServiceProcess> => fleet.start(env)

after(() => fleet.close())

describe('Postgres -> service -> Kafka', () => {
  it('snapshots, then streams c/u/d with tombstones as Avro through the embedded registry; reports lag and metrics', async () => {
    const scope = await PgScope.create()
    const env = isolatedServiceEnv()
    const prefix = uniqueName('shop')
    const topic = `${prefix}.${scope.schema}.customers`
    topics.push(...Object.values(env), topic)
    const service = await start(env)
    try {
      await scope.admin.query(
        `create table ${scope.table('customers')} (id int primary key, name text not null, balance numeric(10,2), created timestamptz default now())`,
      )
      await scope.admin.query(
        `insert into ${scope.table('customers')} (id, name, balance) values (1, 'Ada', 10.50), (2, 'Bo', -3.25)`,
      )
      const created = await api(service.url, 'POST', '/connectors', {
        name: scope.name,
        config: {
          ...scope.config({ 'topic.prefix': prefix, 'slot.drop.on.stop': 'true' }),
          name: scope.name,
        },
      })
      assert.equal(created.status, 201, JSON.stringify(created.body))
      await waitFor('RUNNING', async () => {
        const s = await api<{ connector: { state: string }; phase: string | null }>(
          service.url,
          'GET',
          `/connectors/${scope.name}/status`,
        )
        return s.body.connector.state === 'RUNNING' && s.body.phase === 'streaming'
          ? true
          : undefined
      })
      await scope.admin.query(
        `insert into ${scope.table('customers')} (id, name, balance) values (3, 'Cy', 0)`,
      )
      await scope.admin.query(`update ${scope.table('customers')} set name = 'Ada L.' where id = 1`)
      await scope.admin.query(`delete from ${scope.table('customers')} where id = 2`)

      const records = await readUntil([topic], (r) => r.length >= 6, 60_000)
      const registry = new SchemaRegistry(
        { host: service.registryUrl },
        { [SchemaType.AVRO]: { registry: { long: bigintLongType } } },
      )
      type Value = { op: string; after: { name: string } | null; before: { id: number } | null }
      // One at a time: the client builds a schema's type on first use, and two concurrent
      // first uses of one schema would define its record name twice.
      const decoded: { key: { id: number } | null; value: Value | null }[] = []
      for (const r of records) {
        decoded.push({
          key: r.key === null ? null : ((await registry.decode(r.key)) as { id: number }),
          value: r.value === null ? null : ((await registry.decode(r.value)) as Value),
        })
      }
      assert.deepEqual(
        decoded.map((d) => [d.key?.id, d.value?.op ?? 'tombstone']),
        [
          [1, 'r'],
          [2, 'r'],
          [3, 'c'],
          [1, 'u'],
          [2, 'd'],
          [2, 'tombstone'],
        ],
      )
      assert.equal(decoded[3]?.value?.after?.name, 'Ada L.')
      assert.equal(decoded[4]?.value?.before?.id, 2)

      const lag = await api<Record<string, unknown>>(
        service.url,
        'GET',
        `/connectors/${scope.name}/lag`,
      )
      assert.equal(lag.status, 200)
      for (const field of [
        'retained_wal_bytes',
        'wal_status',
        'safe_wal_size',
        'confirmed_flush_lsn',
      ]) {
        assert.ok(field in lag.body, `lag lacks ${field}: ${JSON.stringify(lag.body)}`)
      }
      assert.equal(lag.body.wal_status, 'reserved')
      const metrics = await (await fetch(`${service.url}/metrics`)).text()
      assert.match(
        metrics,
        new RegExp(`cdc_records_produced_total\\{connector="${scope.name}"\\} [1-9]`),
      )

      assert.equal((await api(service.url, 'DELETE', `/connectors/${scope.name}`)).status, 204)
      await waitFor('the slot to be dropped', async () => {
        const { rows } = await scope.admin.query(
          'select 1 from pg_replication_slots where slot_name = $1',
          [scope.slot],
        )
        return rows.length === 0 ? true : undefined
      })
    } finally {
      service.kill('SIGTERM')
      await service.exited
      await scope.drop()
    }
  })

  it('killed with SIGKILL 10 times during a 50k-change workload, loses nothing and keeps commit order per key', async (t) => {
    const scope = await PgScope.create()
    // Even when an assertion fails: a leftover slot would pin WAL for every later test.
    t.after(() => scope.drop())
    const env = isolatedServiceEnv()
    const prefix = uniqueName('kill')
    const topic = `${prefix}.${scope.schema}.items`
    topics.push(...Object.values(env), topic)
    const table = scope.table('items')
    await scope.admin.query(`create table ${table} (id int primary key, version int not null)`)
    await scope.admin.query(`alter table ${table} replica identity full`)
    let service = await start(env)
    const config = {
      ...scope.config({
        'topic.prefix': prefix,
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
        'key.converter.schemas.enable': 'false',
        'slot.drop.on.stop': 'true',
        // Keepalives confirm the slot past WAL that is not this table's, so it can catch up
        // to the end of the workload.
        'heartbeat.interval.ms': '500',
      }),
      name: scope.name,
    }
    assert.equal(
      (await api(service.url, 'POST', '/connectors', { name: scope.name, config })).status,
      201,
    )
    await waitFor('streaming', async () => {
      const s = await api<{ phase: string | null }>(
        service.url,
        'GET',
        `/connectors/${scope.name}/status`,
      )
      return s.body.phase === 'streaming' ? true : undefined
    })

    // The workload: 1000 transactions of 50 changes over 500 keys. Each change gives its
    // key a new version, so every committed change is identified by (key, version, op).
    const expected: string[] = []
    const versions = new Map<number, number>()
    const workload = (async () => {
      const writer = scope.admin
      for (let tx = 0; tx < 1000; tx++) {
        const statements: string[] = []
        for (let i = 0; i < 50; i++) {
          const key = randomInt(500)
          const current = versions.get(key)
          const next = (current ?? 0) + 1
          if (current === undefined || current < 0) {
            statements.push(`insert into ${table} values (${key}, ${Math.abs(current ?? 0) + 1})`)
            versions.set(key, Math.abs(current ?? 0) + 1)
            expected.push(`${key}:${Math.abs(current ?? 0) + 1}:c`)
          } else if (randomInt(10) === 0) {
            statements.push(`delete from ${table} where id = ${key}`)
            versions.set(key, -current)
            expected.push(`${key}:${current}:d`)
          } else {
            statements.push(`update ${table} set version = ${next} where id = ${key}`)
            versions.set(key, next)
            expected.push(`${key}:${next}:u`)
          }
        }
        await writer.query(`begin; ${statements.join('; ')}; commit`)
      }
    })()

    for (let kill = 0; kill < 10; kill++) {
      await new Promise((resolve) => setTimeout(resolve, 500 + randomInt(2_500)))
      service.kill('SIGKILL')
      await service.exited
      service = await start(env)
    }
    await workload
    const { rows } = await scope.admin.query<{ lsn: string }>(
      'select pg_current_wal_lsn()::text as lsn',
    )
    const endLsn = rows[0]?.lsn ?? '0/0'
    let lastStatus = ''
    await waitFor(
      'the slot to confirm the end of the workload',
      async () => {
        lastStatus = JSON.stringify(
          (await api(service.url, 'GET', `/connectors/${scope.name}/status`)).body,
        )
        const result = await scope.admin.query<{ behind: string }>(
          `select (pg_wal_lsn_diff($2::pg_lsn, confirmed_flush_lsn) > 0)::text as behind from pg_replication_slots where slot_name = $1`,
          [scope.slot, endLsn],
        )
        return result.rows[0]?.behind === 'false' ? true : undefined
      },
      { timeoutMs: 180_000 },
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}; last status ${lastStatus}; logs ${service.logs.slice(-8).join('\n')}`,
      )
    })

    const seen: string[] = []
    const records = await readUntil(
      [topic],
      (r) => {
        seen.length = 0
        for (const record of r) {
          const value = jsonPayload(record.value)
          if (value === null) continue
          const op = value.op as string
          const row = (op === 'd' ? value.before : value.after) as { id: number; version: number }
          seen.push(`${row.id}:${row.version}:${op}`)
        }
        return new Set(seen).size >= new Set(expected).size
      },
      180_000,
    )
    assert.ok(records.length > 0)
    const seenSet = new Set(seen)
    const missing = expected.filter((e) => !seenSet.has(e))
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} committed changes missing`)
    // Commit order per key: first occurrences of each key's changes follow its history.
    const firstSeen = new Map<string, number>()
    seen.forEach((change, index) => {
      if (!firstSeen.has(change)) firstSeen.set(change, index)
    })
    const byKey = new Map<string, string[]>()
    for (const change of expected) {
      const key = change.split(':')[0] ?? ''
      byKey.set(key, [...(byKey.get(key) ?? []), change])
    }
    for (const [key, history] of byKey) {
      const positions = history.map((change) => firstSeen.get(change) ?? -1)
      const sorted = [...positions].sort((a, b) => a - b)
      assert.deepEqual(positions, sorted, `changes of key ${key} arrived out of commit order`)
    }
    service.kill('SIGTERM')
    await service.exited
  })
})
