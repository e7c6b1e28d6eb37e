// The two metadata topics Debezium writes beside the change topics, through the service
// as users run it: `<topic.prefix>.transaction` (BEGIN/END with event counts, when
// provide.transaction.metadata=true) from both connectors, and the MariaDB connector's
// schema change topic `<topic.prefix>` (the DDL and the table structure after it).
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { KafkaClient } from '../../../kafka/kafka-client.ts'
import { decodeValues } from '../../helpers/avro-decode.ts'
import { testEnv } from '../../helpers/env.ts'
import { readUntil, type ReadRecord } from '../../helpers/kafka-read.ts'
import { uniqueName } from '../../helpers/names.ts'
import {
  api,
  cdcBin,
  isolatedServiceEnv,
  startServiceProcess,
  type ServiceProcess,
} from '../../helpers/service-process.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { MysqlScope } from '../mysql/mysql-fixture.ts'
import { PgScope } from '../postgres/pg-fixture.ts'

const kafka = new KafkaClient({ brokers: testEnv.kafkaBrokers, clientId: 'test-metadata-topics' })
const topics: string[] = []

after(async () => {
  await kafka.admin.deleteTopics(topics).catch(() => undefined)
  await kafka.close()
})

async function decode<T>(service: ServiceProcess, records: readonly ReadRecord[]): Promise<T[]> {
  return decodeValues<T>(service.registryUrl, records)
}

async function streaming(service: ServiceProcess, name: string): Promise<void> {
  await waitFor(`${name} streaming`, async () => {
    const status = await api<{ connector: { state: string }; phase: string | null }>(
      service.url,
      'GET',
      `/connectors/${name}/status`,
    )
    return status.body.connector.state === 'RUNNING' && status.body.phase === 'streaming'
      ? true
      : undefined
  })
}

interface Boundary {
  status: 'BEGIN' | 'END'
  id: string
  event_count: bigint | null
  data_collections: Array<{ data_collection: string; event_count: bigint }> | null
}

interface TransactionBlock {
  transaction: { id: string; total_order: bigint; data_collection_order: bigint } | null
}

/** BEGIN/END pairs in order, each END carrying the counts of the events between them. */
function boundaries(values: readonly Boundary[]): string[] {
  return values.map((value) =>
    value.status === 'BEGIN'
      ? 'BEGIN'
      : `END ${String(value.event_count)} ${(value.data_collections ?? [])
          .map((c) => `${c.data_collection}=${String(c.event_count)}`)
          .join(',')}`,
  )
}

describe('metadata topics through the service', () => {
  it('Postgres: provide.transaction.metadata writes BEGIN and END around each transaction, with the ids of its events', async () => {
    const scope = await PgScope.create()
    const env = isolatedServiceEnv()
    const prefix = uniqueName('shop')
    const changes = `${prefix}.${scope.schema}.items`
    topics.push(...Object.values(env), changes, `${prefix}.transaction`)
    const service = await startServiceProcess(cdcBin, env)
    try {
      await scope.query(`create table ${scope.table('items')} (id int primary key, n int)`)
      await scope.query(`create table ${scope.table('other')} (id int primary key)`)
      const created = await api(service.url, 'POST', '/connectors', {
        name: scope.name,
        config: scope.config({
          'topic.prefix': prefix,
          'snapshot.mode': 'no_data',
          'provide.transaction.metadata': 'true',
          'slot.drop.on.stop': 'true',
        }),
      })
      assert.equal(created.status, 201, JSON.stringify(created.body))
      await streaming(service, scope.name)
      await scope.query('begin')
      await scope.query(`insert into ${scope.table('items')} values (1, 1), (2, 2)`)
      await scope.query(`insert into ${scope.table('other')} values (1)`)
      await scope.query('commit')
      await scope.query(`update ${scope.table('items')} set n = 10 where id = 1`)

      const transactionTopic = `${prefix}.transaction`
      const records = await readUntil([transactionTopic], (r) => r.length >= 4, 60_000)
      const values = await decode<Boundary>(service, records)
      const items = `${scope.schema}.items`
      const other = `${scope.schema}.other`
      assert.deepEqual(boundaries(values), [
        'BEGIN',
        `END 3 ${items}=2,${other}=1`,
        'BEGIN',
        `END 1 ${items}=1`,
      ])
      const events = await decode<TransactionBlock>(
        service,
        await readUntil([changes], (r) => r.length >= 3, 60_000),
      )
      assert.deepEqual(
        events.map((event) => [
          event.transaction?.id,
          event.transaction?.total_order,
          event.transaction?.data_collection_order,
        ]),
        [
          [values[0]?.id, 1n, 1n],
          [values[0]?.id, 2n, 2n],
          [values[2]?.id, 1n, 1n],
        ],
      )
      assert.equal((await api(service.url, 'DELETE', `/connectors/${scope.name}`)).status, 204)
    } finally {
      service.kill('SIGTERM')
      await service.exited
      await scope.drop()
    }
  })

  it('MariaDB: DDL goes to the schema change topic <topic.prefix>, and transactions to <topic.prefix>.transaction', async () => {
    const scope = await MysqlScope.create()
    const env = isolatedServiceEnv()
    const prefix = uniqueName('shop')
    topics.push(...Object.values(env), prefix, `${prefix}.transaction`)
    topics.push(`${prefix}.${scope.database}.items`)
    const service = await startServiceProcess(cdcBin, env)
    try {
      await scope.query('CREATE TABLE items (id INT PRIMARY KEY, n INT)')
      await scope.query('INSERT INTO items VALUES (1, 1)')
      const created = await api(service.url, 'POST', '/connectors', {
        name: scope.name,
        config: scope.config({
          'topic.prefix': prefix,
          'provide.transaction.metadata': 'true',
        }),
      })
      assert.equal(created.status, 201, JSON.stringify(created.body))
      await streaming(service, scope.name)
      await scope.query('START TRANSACTION')
      await scope.query('INSERT INTO items VALUES (2, 2), (3, 3)')
      await scope.query('UPDATE items SET n = 10 WHERE id = 1')
      await scope.query('COMMIT')
      // NOT NULL with a default: the default in the Avro schema keeps it BACKWARD compatible.
      await scope.query("ALTER TABLE items ADD COLUMN label VARCHAR(20) NOT NULL DEFAULT ''")
      await scope.query("INSERT INTO items VALUES (4, 4, 'four')")

      interface SchemaChange {
        databaseName: string | null
        ddl: string | null
        source: { snapshot: string | null; db: string }
        tableChanges: Array<{
          type: string
          id: string
          table: { columns: Array<{ name: string; typeName: string }> } | null
        }>
      }
      const schemaRecords = await readUntil([prefix], (r) => r.length >= 2, 60_000)
      const schemaChanges = await decode<SchemaChange>(service, schemaRecords)
      // The snapshot's CREATE TABLE, then the ALTER seen in the binlog.
      assert.deepEqual(
        schemaChanges.map((change) => [
          change.databaseName,
          change.tableChanges.map((table) => `${table.type} ${table.id}`).join(),
        ]),
        [
          [scope.database, `CREATE "${scope.database}"."items"`],
          [scope.database, `ALTER "${scope.database}"."items"`],
        ],
      )
      assert.match(schemaChanges[1]?.ddl ?? '', /ALTER TABLE items ADD COLUMN label/)
      assert.deepEqual(
        schemaChanges[1]?.tableChanges[0]?.table?.columns.map((c) => `${c.name}:${c.typeName}`),
        ['id:INT', 'n:INT', 'label:VARCHAR'],
      )
      assert.equal(
        String(schemaRecords[0]?.key?.subarray(5).toString('latin1')).includes(scope.database),
        true,
        'the key is the database name',
      )

      const records = await readUntil([`${prefix}.transaction`], (r) => r.length >= 4, 60_000)
      const items = `${scope.database}.items`
      assert.deepEqual(boundaries(await decode<Boundary>(service, records)), [
        'BEGIN',
        `END 3 ${items}=3`,
        'BEGIN',
        `END 1 ${items}=1`,
      ])
      assert.equal((await api(service.url, 'DELETE', `/connectors/${scope.name}`)).status, 204)
    } finally {
      service.kill('SIGTERM')
      await service.exited
      await scope.drop()
    }
  })
})
