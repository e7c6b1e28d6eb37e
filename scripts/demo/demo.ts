// The README's demo: starts the service (bin/cdc.ts), creates a small shop schema in
// PostgreSQL, registers the Postgres connector over the REST API, runs a steady workload and
// prints the change events as they arrive in Kafka (Avro, decoded through the service's
// embedded schema registry) and the replication slot's lag, until Ctrl-C (or DEMO_SECONDS).
// Beside them, a stream-table join registered the same way writes every order change
// enriched with its customer as of that change (shop.enriched_orders), shown decoded too.
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import avsc from 'avsc'
import { Kafka, logLevel } from 'kafkajs'
import pg from 'pg'
import { workloadStep, shopSchemaSql } from './shop.ts'

const adminPort = process.env.CDC_HTTP_PORT ?? '8083'
const registryPort = process.env.CDC_REGISTRY_PORT ?? '8081'
const admin = `http://127.0.0.1:${adminPort}`
const registryUrl = `http://127.0.0.1:${registryPort}`
const seconds = Number(process.env.DEMO_SECONDS ?? '0')
const connector = 'shop-postgres'
const joinName = 'shop-enriched-orders'
const enrichedTopic = 'shop.enriched_orders'
const joinStateDir = join(tmpdir(), 'cdc-demo-join-state')
const pgConfig = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'cdc_test' }

const say = (line: string) => process.stdout.write(`${line}\n`)

// 1. The service, as `npm start` runs it (warnings and errors only, to keep the screen readable).
const service = spawn(
  process.execPath,
  [
    '--disable-warning=TimeoutNegativeWarning',
    fileURLToPath(new URL('../../bin/cdc.ts', import.meta.url)),
  ],
  {
    env: {
      ...process.env,
      CDC_HTTP_PORT: adminPort,
      CDC_REGISTRY_PORT: registryPort,
      CDC_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  },
)
let stopping = false
const stop = async (code: number) => {
  if (stopping) return
  stopping = true
  // A demo's slot would pin WAL on this machine until the next demo: delete the connectors
  // (slot.drop.on.stop drops the slot and publication on delete), then stop the service.
  say('\n== stopping: DELETE the demo connectors (drops the slot), then SIGTERM the service')
  for (const name of [joinName, connector]) {
    await fetch(`${admin}/connectors/${name}`, {
      method: 'DELETE',
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined)
  }
  service.kill('SIGTERM')
  await new Promise((resolve) => service.once('exit', resolve))
  process.exit(code)
}
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))
// The service must not outlive the demo, whatever ends it.
process.on('exit', () => service.kill('SIGTERM'))
service.once('exit', (code) => {
  if (!stopping) {
    say(`the service exited with ${String(code)}; see the lines above`)
    process.exit(1)
  }
})

async function waitForService(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${admin}/health`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`the service did not answer on ${admin} within 60 s`)
}

await waitForService()
say(`== service up: admin API ${admin}, embedded schema registry ${registryUrl}`)

// 2. The shop schema, fresh each run.
const db = new pg.Client(pgConfig)
await db.connect()
const kafka = new Kafka({
  brokers: ['127.0.0.1:9092'],
  logLevel: logLevel.NOTHING,
  clientId: 'demo',
})
{
  // Topics of an earlier run would replay rows of a shop that no longer exists.
  const kafkaAdmin = kafka.admin()
  await kafkaAdmin.connect()
  const old = (await kafkaAdmin.listTopics()).filter((t) => t.startsWith('shop.'))
  if (old.length > 0) await kafkaAdmin.deleteTopics({ topics: old })
  await kafkaAdmin.disconnect()
}
for (const name of [joinName, connector]) {
  const existing = await fetch(`${admin}/connectors/${name}`)
  if (existing.ok) await fetch(`${admin}/connectors/${name}`, { method: 'DELETE' })
}
{
  // The join of an earlier run: its group's offsets and its table replica.
  rmSync(joinStateDir, { recursive: true, force: true })
  const kafkaAdmin = kafka.admin()
  await kafkaAdmin.connect()
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await kafkaAdmin.deleteGroups([`cdc-join-${joinName}`])
      break
    } catch (error) {
      // 69 is GROUP_ID_NOT_FOUND: gone already. Otherwise its members are still leaving.
      if ((error as { groups?: { errorCode?: number }[] }).groups?.[0]?.errorCode === 69) break
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
  await kafkaAdmin.disconnect()
}
await db.query(
  `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = 'shop_demo' and not active`,
)
await db.query(shopSchemaSql)
say('== created schema shop (customers, orders, order_items) with a few rows')

// 3. The connector, with Debezium's property names.
const config = {
  'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
  'database.hostname': pgConfig.host,
  'database.port': String(pgConfig.port),
  'database.user': pgConfig.user,
  'database.dbname': pgConfig.database,
  'topic.prefix': 'shop',
  'schema.include.list': 'shop',
  'slot.name': 'shop_demo',
  'publication.name': 'shop_demo',
  'publication.autocreate.mode': 'filtered',
  'slot.drop.on.stop': 'true',
}
const created = await fetch(`${admin}/connectors`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: connector, config }),
})
say(`== POST /connectors -> ${created.status}`)
if (!created.ok) {
  say(await created.text())
  await stop(1)
}

// 4. A steady workload: new customers and orders (with items), updates, deletes.
let step = 0
setInterval(() => {
  void workloadStep(db, step++).catch((error: unknown) => say(`workload: ${String(error)}`))
}, 400)

// Read the change topics back, decoded.
const longType = avsc.types.LongType.__with({
  fromBuffer: (buffer: Buffer) => buffer.readBigInt64LE(),
  toBuffer: (value: bigint) => {
    const buffer = Buffer.alloc(8)
    buffer.writeBigInt64LE(value)
    return buffer
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (value: unknown) => typeof value === 'bigint',
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
})
// A reader of Confluent-framed Avro: magic byte, schema id, Avro binary. Longs are read as
// bigint (Debezium's ts_ns does not fit a JS number); each schema gets its own avsc name
// registry, because every table's envelope defines the same Source record.
const types = new Map<number, Promise<avsc.Type>>()
const registry = {
  async decode(framed: Buffer): Promise<unknown> {
    const id = framed.readInt32BE(1)
    let type = types.get(id)
    if (type === undefined) {
      type = fetch(`${registryUrl}/schemas/ids/${id}`)
        .then((response) => response.json() as Promise<{ schema: string }>)
        .then(({ schema }) =>
          avsc.Type.forSchema(JSON.parse(schema) as avsc.Schema, { registry: { long: longType } }),
        )
      types.set(id, type)
    }
    return (await type).fromBuffer(framed.subarray(5))
  },
}
const consumer = kafka.consumer({ groupId: `demo-${Date.now()}` })
await consumer.connect()
const topics = ['shop.shop.customers', 'shop.shop.orders', 'shop.shop.order_items']
const topicsPresent = async (wanted: readonly string[]): Promise<void> => {
  for (;;) {
    const kafkaAdmin = kafka.admin()
    await kafkaAdmin.connect()
    const present = await kafkaAdmin.listTopics()
    await kafkaAdmin.disconnect()
    if (wanted.every((t) => present.includes(t))) return
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}
await topicsPresent(topics)

// 5. The join: each order change with its customer as of that change, as Avro.
const joinConfig = {
  'connector.class': 'stream-table-join',
  'stream.topic': 'shop.shop.orders',
  'table.topic': 'shop.shop.customers',
  'stream.foreign.key': 'customer_id',
  'output.topic': enrichedTopic,
  'output.format': 'avro',
  'schema.registry.url': registryUrl,
  'state.dir': joinStateDir,
}
const joined = await fetch(`${admin}/connectors`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: joinName, config: joinConfig }),
})
say(`== POST /connectors (stream-table join ${joinName}) -> ${joined.status}`)
if (!joined.ok) {
  say(await joined.text())
  await stop(1)
}
await topicsPresent([enrichedTopic])
await consumer.subscribe({ topics: [...topics, enrichedTopic], fromBeginning: true })
// The shop's only bytes columns are numeric(10,2): Avro decimals, shown as numbers.
const decimal = (bytes: number[]): string => {
  const hex = Buffer.from(bytes).toString('hex') || '00'
  const unscaled = BigInt.asIntN(bytes.length * 8 || 8, BigInt(`0x${hex}`))
  const negative = unscaled < 0n
  const digits = (negative ? -unscaled : unscaled).toString().padStart(3, '0')
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`
}
const show = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return Number(v)
    const buffer = v as { type?: unknown; data?: unknown } | null
    if (buffer?.type === 'Buffer' && Array.isArray(buffer.data))
      return decimal(buffer.data as number[])
    return v
  })
/** An enriched order on one line: the order change and the customer it was joined with. */
const enrichedLine = (key: unknown, decoded: unknown): string => {
  const value = decoded as {
    op: string
    stream: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }
    table: { name?: string; tier?: string } | null
    tableRef: { status: string }
  }
  const order = value.op === 'd' ? value.stream.before : value.stream.after
  const customer =
    value.table === null ? 'no customer' : `${value.table.name ?? '?'} (${value.table.tier ?? '?'})`
  return `${enrichedTopic.padEnd(20)} op=${value.op} key=${show(key)} order status=${show(order?.status)} total=${show(order?.total)} -> customer ${customer} [${value.tableRef.status}]`
}
let events = 0
const queue: { topic: string; key: Buffer | null; value: Buffer | null }[] = []
await consumer.run({
  eachMessage: ({ topic, message }) => {
    queue.push({ topic, key: message.key, value: message.value })
    return Promise.resolve()
  },
})
// Decoding one record at a time keeps the client's schema cache simple.
setInterval(() => {
  void (async () => {
    while (queue.length > 0) {
      const record = queue.shift()
      if (record === undefined) break
      events++
      const key: unknown = record.key === null ? null : await registry.decode(record.key)
      if (record.value === null) {
        say(`${record.topic.padEnd(20)} tombstone key=${show(key)}`)
        continue
      }
      if (record.topic === enrichedTopic) {
        say(enrichedLine(key, await registry.decode(record.value)))
        continue
      }
      const value = (await registry.decode(record.value)) as {
        op: string
        before: unknown
        after: unknown
      }
      const row = value.op === 'd' ? value.before : value.after
      say(
        `${record.topic.padEnd(20)} op=${value.op} key=${show(key)} ${value.op === 'd' ? 'before' : 'after'}=${show(row)}`,
      )
    }
  })()
}, 200)

// 6. The lag every five seconds.
setInterval(() => {
  void (async () => {
    const lag = (await (await fetch(`${admin}/connectors/${connector}/lag`)).json()) as Record<
      string,
      unknown
    >
    const status = (await (await fetch(`${admin}/connectors/${connector}/status`)).json()) as {
      connector: { state: string }
      phase: string | null
    }
    const joinLag = (await (await fetch(`${admin}/connectors/${joinName}/lag`)).json()) as Record<
      string,
      unknown
    >
    say(
      `-- ${status.connector.state}/${status.phase ?? '-'}, ${events} events so far; slot lag: retained WAL ${String(lag.retained_wal_bytes)} bytes, confirmed-flush lag ${String(lag.confirmed_flush_lag_bytes)} bytes, wal_status ${String(lag.wal_status)}; join: ${String(joinLag.stream_records_behind)} order records behind`,
    )
  })().catch(() => undefined)
}, 5_000)

if (seconds > 0) setTimeout(() => void stop(0), seconds * 1000)
