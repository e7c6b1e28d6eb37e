// The table change users make most: a NOT NULL column with a default, added while the
// connector streams. Under the registry's BACKWARD level it must register as a new version
// (the Avro field carries the column's default), not stop the connector.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { KafkaClient } from '../../../kafka/kafka-client.ts'
import { decodeValues } from '../../helpers/avro-decode.ts'
import { connectorStatus, waitForStatus } from '../../helpers/connector-status.ts'
import { testEnv } from '../../helpers/env.ts'
import { readUntil } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
import {
  api,
  cdcBin,
  isolatedServiceEnv,
  startServiceProcess,
} from '../../helpers/service-process.ts'
import { PgScope } from '../postgres/pg-fixture.ts'

const kafka = new KafkaClient({ brokers: testEnv.kafkaBrokers, clientId: 'test-schema-evolution' })
const topics: string[] = []

after(async () => {
  await kafka.admin.deleteTopics(topics).catch(() => undefined)
  await kafka.close()
})

describe('schema evolution through the service', () => {
  it('Postgres: columns added with NOT NULL DEFAULT register as a compatible version and stream on', async () => {
    const scope = await PgScope.create()
    const env = isolatedServiceEnv()
    const prefix = uniqueName('shop')
    const topic = `${prefix}.${scope.schema}.items`
    topics.push(...Object.values(env), topic)
    const service = await startServiceProcess(cdcBin, env)
    try {
      await scope.query(`create table ${scope.table('items')} (id int primary key, n int)`)
      await scope.query(`insert into ${scope.table('items')} values (1, 1)`)
      const created = await api(service.url, 'POST', '/connectors', {
        name: scope.name,
        config: scope.config({ 'topic.prefix': prefix, 'slot.drop.on.stop': 'true' }),
      })
      assert.equal(created.status, 201, JSON.stringify(created.body))
      await waitForStatus(service.url, scope.name, 'streaming', (s) => s.phase === 'streaming')
      await scope.query(
        `alter table ${scope.table('items')} add column label text not null default 'none', add column qty numeric(6,2) not null default -1.5, add column active boolean not null default true`,
      )
      await scope.query(
        `insert into ${scope.table('items')} (id, n, label, qty, active) values (2, 2, 'two', 2, false)`,
      )
      const records = await readUntil([topic], (r) => r.length >= 2, 60_000)
      type Value = { op: string; after: Record<string, unknown> }
      const values = await decodeValues<Value>(service.registryUrl, records)
      assert.deepEqual(
        values.map((value) => [value.op, value.after.id, value.after.label]),
        [
          ['r', 1, undefined],
          ['c', 2, 'two'],
        ],
      )
      assert.equal((await connectorStatus(service.url, scope.name)).connector.state, 'RUNNING')
      const subject = `${topic}-value`
      const versions = (await (
        await fetch(`${service.registryUrl}/subjects/${subject}/versions`)
      ).json()) as number[]
      assert.deepEqual(versions, [1, 2])
      const latest = (await (
        await fetch(`${service.registryUrl}/subjects/${subject}/versions/latest`)
      ).json()) as { schema: string }
      // The row record is defined where it first appears, in `before`; `after` names it.
      const row = (
        JSON.parse(latest.schema) as {
          fields: Array<{ name: string; type: unknown }>
        }
      ).fields.find((field) => field.name === 'before')?.type as [
        string,
        { fields: Array<{ name: string; default?: unknown }> },
      ]
      const defaults = Object.fromEntries(row[1].fields.map((field) => [field.name, field.default]))
      assert.equal(defaults.label, 'none')
      assert.equal(defaults.active, true)
      assert.ok(defaults.qty !== undefined, 'the decimal default is in the schema')
      assert.equal((await api(service.url, 'DELETE', `/connectors/${scope.name}`)).status, 204)
    } finally {
      service.kill('SIGTERM')
      await service.exited
      await scope.drop()
    }
  })
})
