// The MariaDB connector beside raw baselines:
//   snapshot: a 1M-row table through the connector (Avro into Kafka), beside SELECT through
//             the mariadb client into /dev/null (and through mysql2, counting rows in Node)
//   streaming: 200k changes (inserts/updates/deletes, transactions of 100) read from a
//             backlog by the connector into Kafka, beside mariadb-binlog reading the same
//             binlog range from the server into /dev/null, with and without row decoding
//             (--verbose), and the project's own binlog decoder (connectors/mysql/protocol)
//             over the same events, fetched raw
//
//   node bench/mysql.ts [--scale 0.01]
//
// The connector runs only when connectors/mysql exports the MariaDB ConnectorPlugin
// (it is loaded dynamically, so this script also runs without it); otherwise, or when a
// connector run fails, its figures are printed as missing and the baselines still run.
// Each connector run is a child process of its own (bench/lib/connector-child.ts).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import streaming from 'mysql2'
import mysql from 'mysql2/promise'
import type { ConnectorConfig, ConnectorPlugin } from '../connectors/plugin.ts'
import { readBinlogFile } from '../connectors/mysql/protocol/index.ts'
import { KafkaClient } from '../kafka/kafka-client.ts'
import {
  runConnectorChild,
  type ConnectorChildMessage,
  type ConnectorChildSpec,
  type ConnectorResultMessage,
} from './lib/connector-child.ts'
import { benchEnv } from './lib/env.ts'
import {
  benchArgs,
  mib,
  nowMs,
  printSummary,
  printTable,
  rate,
  round,
  scaled,
  thousands,
  uniqueName,
} from './lib/measure.ts'
import { deleteTopics } from './lib/pipeline.ts'
import { BenchChild, runTool, type ToolRun } from './lib/processes.ts'

const full = { snapshotRows: 1_000_000, streamChanges: 200_000 }
const transactionSize = 100

const pluginCandidates = ['mysql-plugin.ts', 'mysql-connector-plugin.ts', 'plugin.ts', 'index.ts']
const mysqlDir = fileURLToPath(new URL('../connectors/mysql/', import.meta.url))
const script = fileURLToPath(import.meta.url)

const args = benchArgs(['spec'])

interface BinlogPosition {
  file: string
  position: number
}

interface ToolFigure {
  ms: number
  perSec: number
  peakRss: number | null
}

type ConnectorFigure =
  (ConnectorResultMessage & { perSec: number }) | { error: string } | { missing: string }

interface Figures {
  connectorPlugin: string | null
  snapshot: {
    rows: number
    loadMs: number
    connector: ConnectorFigure
    mariadbClient: ToolFigure
    mysql2: ToolFigure & { rows: number }
  }
  streaming: {
    changes: number
    generateMs: number
    binlogBytes: number
    from: BinlogPosition
    to: BinlogPosition
    mariadbBinlog: ToolFigure
    mariadbBinlogVerbose: ToolFigure
    projectDecoder: ToolFigure & { rowChanges: number; events: number; fetchMs: number }
    connector: ConnectorFigure
  }
}

/** Rows of the bench table for each `g` of `source` (a derived table or sequence). */
const rowsSql = (g: string, source: string) =>
  `SELECT ${g}, ${g} * 1000003, ((${g} * 7919) % 10000000000) / 100,
     CONCAT('customer ', LPAD(${g}, 10, '0'), ' abcdefghijk'), ${g} % 2 = 0,
     TIMESTAMP'2023-11-14 22:13:20' + INTERVAL ${g} * 1000 MICROSECOND, ${g} * 0.731,
     JSON_OBJECT('k', ${g}, 'tags', JSON_ARRAY('a', 'b'), 'ok', true),
     IF(${g} % 2 = 0, NULL, CONCAT('note ', ${g})), DATE'2022-01-08' + INTERVAL (${g} % 1000) DAY
   FROM ${source}`

const createTable = (qualified: string) => `CREATE TABLE ${qualified} (
  id INT PRIMARY KEY,
  i64 BIGINT NOT NULL,
  amount DECIMAL(12,2) NOT NULL,
  name VARCHAR(40) NOT NULL,
  flag BOOLEAN NOT NULL,
  ts DATETIME(6) NOT NULL,
  score DOUBLE NOT NULL,
  doc JSON NOT NULL,
  note TEXT NULL,
  day DATE NOT NULL
)`

/** The MariaDB ConnectorPlugin of connectors/mysql, loaded by path so its absence is no error. */
async function loadPlugin(): Promise<{ path: string; plugin: ConnectorPlugin } | null> {
  for (const file of pluginCandidates) {
    const path = join(mysqlDir, file)
    if (!existsSync(path) || !/ConnectorPlugin/.test(readFileSync(path, 'utf8'))) continue
    const exports = (await import(path)) as Record<string, unknown>
    const plugin = Object.values(exports).find(
      (value): value is ConnectorPlugin =>
        typeof value === 'object' &&
        value !== null &&
        'className' in value &&
        'create' in value &&
        typeof value.className === 'string' &&
        value.className.toLowerCase().includes('mariadb'),
    )
    if (plugin !== undefined) return { path, plugin }
  }
  return null
}

interface Names {
  database: string
  offsets: string
  schemas: string
  topics: string[]
}

function namesFor(database: string): Names {
  return {
    database,
    offsets: `${database}_offsets`,
    schemas: `${database}_schemas`,
    topics: [
      `${database}.${database}.snap`,
      `${database}.${database}.chg`,
      database,
      `${database}_offsets`,
      `${database}_schemas`,
    ],
  }
}

function connectorConfig(
  names: Names,
  name: string,
  extra: Record<string, string>,
): ConnectorConfig {
  const { host, port, user, password } = benchEnv.mariadb
  return {
    'connector.class': 'mariadb',
    name,
    'database.hostname': host,
    'database.port': String(port),
    'database.user': user,
    ...(password === '' ? {} : { 'database.password': password }),
    // Unique, so that no other replica connection (another engineer's connector) is cut off.
    'database.server.id': String(100_000 + Math.floor(Math.random() * 1_000_000_000)),
    'topic.prefix': names.database,
    'database.include.list': names.database,
    ...extra,
  }
}

/** Runs the connector in a child until `expected` events are in Kafka; never throws. */
async function connectorRun(
  names: Names,
  spec: Omit<ConnectorChildSpec, 'offsetsTopic' | 'schemasTopic'>,
): Promise<ConnectorFigure> {
  const child = new BenchChild<ConnectorChildMessage>(script, [
    '--child',
    'connector',
    '--spec',
    JSON.stringify({ ...spec, offsetsTopic: names.offsets, schemasTopic: names.schemas }),
  ])
  try {
    if (spec.untilStopped) {
      await child.next('caught-up')
      child.send({ type: 'stop' })
    }
    const result = await child.next('result')
    return { ...result, perSec: round(rate(result.committedEvents, result.ms), 0) }
  } catch (error) {
    return { error: (error as Error).message }
  } finally {
    await child.close()
  }
}

async function main(): Promise<void> {
  const scale = args.scale
  const snapshotRows = scaled(full.snapshotRows, scale, 1_000)
  const transactions = scaled(full.streamChanges / transactionSize, scale, 10)
  const names = namesFor(uniqueName('bench_my'))
  const database = names.database
  const loaded = await loadPlugin()
  console.log(
    `mysql bench ${database}: snapshot ${thousands(snapshotRows)} rows, streaming ${thousands(transactions * transactionSize)} changes; connector: ${loaded === null ? 'no MariaDB ConnectorPlugin in connectors/mysql' : loaded.path}`,
  )
  const { host, port, user, password } = benchEnv.mariadb
  const connection = await mysql.createConnection({ host, port, user, password })
  const kafka = new KafkaClient({ brokers: benchEnv.kafkaBrokers, clientId: 'bench-mysql' })
  let figures: Figures
  try {
    await connection.query(`CREATE DATABASE ${database}`)
    // The seq_<from>_to_<to> tables of the Sequence engine resolve in the current database.
    await connection.query(`USE ${database}`)
    const snapshot = await snapshotBench(connection, names, snapshotRows, loaded !== null)
    const streaming = await streamingBench(connection, names, transactions, loaded !== null)
    figures = { connectorPlugin: loaded?.path ?? null, snapshot, streaming }
  } finally {
    await connection.query(`DROP DATABASE IF EXISTS ${database}`).catch((error: unknown) => {
      console.error(`could not drop database ${database}: ${(error as Error).message}`)
    })
    await connection.end()
    await deleteTopics(kafka, names.topics)
    await kafka.close()
  }
  report(figures)
  printSummary('mysql', scale, figures)
}

function clientArgs(): string[] {
  const { host, port, user, password } = benchEnv.mariadb
  return [
    `--host=${host}`,
    `--port=${port}`,
    `--user=${user}`,
    ...(password === '' ? [] : [`--password=${password}`]),
  ]
}

function figure(run: ToolRun, count: number, what: string): ToolFigure {
  if (run.code !== 0) throw new Error(`${what} failed (${run.code}): ${run.stderr}`)
  return { ms: round(run.ms, 0), perSec: round(rate(count, run.ms), 0), peakRss: run.peakRss }
}

async function snapshotBench(
  connection: mysql.Connection,
  names: Names,
  rows: number,
  withConnector: boolean,
) {
  const database = names.database
  const table = `${database}.snap`
  await connection.query(createTable(table))
  const started = nowMs()
  // The table is read, never streamed: keep its million rows out of everyone's binlog
  // (sql_log_bin is a session setting, on a connection of its own).
  const { host, port, user, password } = benchEnv.mariadb
  const loader = await mysql.createConnection({ host, port, user, password, database })
  try {
    await loader.query('SET SESSION sql_log_bin = 0')
    await loader.query(`INSERT INTO ${table} ${rowsSql('seq', `seq_1_to_${rows}`)}`)
  } finally {
    await loader.end()
  }
  await connection.query(`ANALYZE TABLE ${table}`)
  const loadMs = nowMs() - started
  console.log(`snapshot table: ${thousands(rows)} rows loaded in ${round(loadMs / 1000)} s`)

  const client = await runTool('mariadb', [
    ...clientArgs(),
    '--quick',
    '--batch',
    '--skip-column-names',
    `--execute=SELECT * FROM ${table}`,
  ])
  const mariadbClient = figure(client, rows, 'mariadb')
  console.log(`mariadb --quick SELECT: ${round(client.ms)} ms`)

  // mysql2 as the connector will use it: one streamed SELECT, rows as arrays.
  const reader = streaming.createConnection({ host, port, user, password, rowsAsArray: true })
  let count = 0
  const readStarted = nowMs()
  await new Promise<void>((resolve, reject) => {
    reader
      .query(`SELECT * FROM ${table}`)
      .on('result', () => {
        count++
      })
      .on('error', reject)
      .on('end', () => {
        resolve()
      })
  })
  const readMs = nowMs() - readStarted
  await new Promise<void>((resolve) => {
    reader.end(() => {
      resolve()
    })
  })
  console.log(`mysql2 streamed SELECT: ${thousands(count)} rows in ${round(readMs)} ms`)

  let connector: ConnectorFigure = { missing: 'no connector plugin' }
  if (withConnector) {
    const name = `${database}_snap`
    connector = await connectorRun(names, {
      name,
      config: connectorConfig(names, name, {
        'table.include.list': table,
        'snapshot.mode': 'initial_only',
      }),
      countTable: 'snap',
      expected: rows,
      untilStopped: false,
    })
    console.log(`connector snapshot: ${describeConnector(connector)}`)
  }
  return {
    rows,
    loadMs: round(loadMs, 0),
    connector,
    mariadbClient,
    mysql2: {
      ms: round(readMs, 0),
      perSec: round(rate(count, readMs), 0),
      peakRss: null,
      rows: count,
    },
  }
}

async function binlogPosition(connection: mysql.Connection): Promise<BinlogPosition> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS')
  const row = rows[0]
  if (row === undefined) throw new Error('SHOW MASTER STATUS returned nothing: is log_bin on?')
  return { file: String(row.File), position: Number(row.Position) }
}

/** The binlog files from `from.file` to `to.file`, in order, with their sizes. */
async function binlogFiles(
  connection: mysql.Connection,
  from: BinlogPosition,
  to: BinlogPosition,
): Promise<{ files: string[]; bytes: number }> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>('SHOW BINARY LOGS')
  const all = rows.map((row) => ({ name: String(row.Log_name), size: Number(row.File_size) }))
  const first = all.findIndex((file) => file.name === from.file)
  const last = all.findIndex((file) => file.name === to.file)
  if (first === -1 || last < first)
    throw new Error(`binlog files ${from.file}..${to.file} not listed`)
  const files = all.slice(first, last + 1)
  let bytes = 0
  files.forEach((file, index) => {
    const start = index === 0 ? from.position : 4
    const end = index === files.length - 1 ? to.position : file.size
    bytes += end - start
  })
  return { files: files.map((file) => file.name), bytes }
}

async function streamingBench(
  connection: mysql.Connection,
  names: Names,
  transactions: number,
  withConnector: boolean,
) {
  const database = names.database
  const table = `${database}.chg`
  const changes = transactions * transactionSize
  await connection.query(createTable(table))
  // The first transaction updates and deletes these.
  await connection.query(
    `INSERT INTO ${table} ${rowsSql('g', '(SELECT CAST(seq AS SIGNED) - 51 AS g FROM seq_1_to_50) s')}`,
  )
  const procedure = `${database}.generate_changes`
  await connection.query(`CREATE PROCEDURE ${procedure}(n INT)
    BEGIN
      DECLARE k INT DEFAULT 0;
      WHILE k < n DO
        START TRANSACTION;
        INSERT INTO ${table} ${rowsSql('g', '(SELECT seq + k * 50 AS g FROM seq_0_to_49) s')};
        UPDATE ${table} SET i64 = i64 + 1, flag = NOT flag, note = CONCAT('updated ', k),
          ts = ts + INTERVAL 1 SECOND WHERE id BETWEEN (k - 1) * 50 AND (k - 1) * 50 + 29;
        DELETE FROM ${table} WHERE id BETWEEN (k - 1) * 50 + 30 AND (k - 1) * 50 + 49;
        COMMIT;
        SET k = k + 1;
      END WHILE;
    END`)
  const from = await binlogPosition(connection)
  const [gtidRows] = await connection.query<mysql.RowDataPacket[]>(
    'SELECT @@gtid_binlog_pos AS gtids',
  )
  const gtids = String(gtidRows[0]?.gtids ?? '')
  const started = nowMs()
  await connection.query(`CALL ${procedure}(?)`, [transactions])
  const generateMs = nowMs() - started
  const to = await binlogPosition(connection)
  const { files, bytes } = await binlogFiles(connection, from, to)
  console.log(
    `wrote ${thousands(changes)} changes in ${transactions} transactions in ${round(generateMs)} ms (${mib(bytes)} of binlog, ${from.file}:${from.position} .. ${to.file}:${to.position})`,
  )

  const range = [
    '--read-from-remote-server',
    ...clientArgs(),
    `--start-position=${from.position}`,
    `--stop-position=${to.position}`,
    ...files,
  ]
  const plain = figure(await runTool('mariadb-binlog', range), changes, 'mariadb-binlog')
  console.log(`mariadb-binlog: ${plain.ms} ms`)
  const verbose = figure(
    await runTool('mariadb-binlog', ['--verbose', ...range]),
    changes,
    'mariadb-binlog --verbose',
  )
  console.log(`mariadb-binlog --verbose: ${verbose.ms} ms`)
  const decoder = await decodeWithProjectDecoder(from, to, files)
  console.log(
    `project binlog decoder: ${thousands(decoder.rowChanges)} row changes in ${decoder.ms} ms`,
  )

  let connector: ConnectorFigure = { missing: 'no connector plugin' }
  if (withConnector) {
    const name = `${database}_stream`
    connector = await connectorRun(names, {
      name,
      config: connectorConfig(names, name, {
        'table.include.list': table,
        'snapshot.mode': 'no_data',
      }),
      // A stored position just before the changes, as a connector that was stopped there.
      from: {
        file: from.file,
        pos: from.position,
        gtids,
        snapshot_completed: true,
        ts_ms: null,
      },
      countTable: 'chg',
      expected: changes,
      untilStopped: true,
    })
    console.log(`connector streaming: ${describeConnector(connector)}`)
  }
  return {
    changes,
    generateMs: round(generateMs, 0),
    binlogBytes: bytes,
    connector,
    from,
    to,
    mariadbBinlog: plain,
    mariadbBinlogVerbose: verbose,
    projectDecoder: decoder,
  }
}

/**
 * Fetches the range as raw binlog files (mariadb-binlog --raw), then times
 * connectors/mysql/protocol decoding them in this process: the decoding the connector
 * will do, without the network, the envelope or Kafka.
 */
async function decodeWithProjectDecoder(
  from: BinlogPosition,
  to: BinlogPosition,
  files: readonly string[],
): Promise<ToolFigure & { rowChanges: number; events: number; fetchMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'cdc-bench-binlog-'))
  try {
    const fetched = await runTool('mariadb-binlog', [
      '--read-from-remote-server',
      '--raw',
      `--result-file=${dir}/`,
      ...clientArgs(),
      `--start-position=${from.position}`,
      `--stop-position=${to.position}`,
      ...files,
    ])
    if (fetched.code !== 0) throw new Error(`mariadb-binlog --raw failed: ${fetched.stderr}`)
    let rowChanges = 0
    let events = 0
    const started = nowMs()
    for (const file of readdirSync(dir).sort()) {
      const data = readFileSync(join(dir, file))
      for (const event of readBinlogFile(data, { file })) {
        events++
        // Raw files run to the end of what the server sent; count only the range.
        const end = event.header.logPos
        if (file === to.file && end > to.position) continue
        if (event.kind === 'rows') rowChanges += event.rows.length
      }
    }
    const ms = nowMs() - started
    return {
      ms: round(ms, 0),
      perSec: round(rate(rowChanges, ms), 0),
      peakRss: null,
      rowChanges,
      events,
      fetchMs: round(fetched.ms, 0),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function describeConnector(figure: ConnectorFigure): string {
  if ('missing' in figure) return `missing (${figure.missing})`
  if ('error' in figure) return `FAILED: ${figure.error}`
  return `${thousands(figure.committedEvents)} events in ${round(figure.ms)} ms, peak RSS ${mib(figure.peakRss)}`
}

function connectorCells(figure: ConnectorFigure, unit: string): [string, string] {
  if ('missing' in figure) return ['missing (no connector yet)', '-']
  if ('error' in figure) return ['missing (connector run failed)', '-']
  return [`${thousands(figure.perSec)} ${unit}`, mib(figure.peakRss)]
}

function report(figures: Figures): void {
  const { snapshot, streaming } = figures
  printTable(
    'MariaDB connector and raw baselines',
    ['measure', 'rate', 'peak RSS'],
    [
      [
        `snapshot ${thousands(snapshot.rows)} rows: connector -> Kafka (Avro)`,
        ...connectorCells(snapshot.connector, 'rows/s'),
      ],
      [
        '    mariadb --quick SELECT -> /dev/null',
        `${thousands(snapshot.mariadbClient.perSec)} rows/s`,
        mib(snapshot.mariadbClient.peakRss),
      ],
      [
        '    mysql2 streamed SELECT (rows counted)',
        `${thousands(snapshot.mysql2.perSec)} rows/s`,
        '-',
      ],
      [
        `stream ${thousands(streaming.changes)} changes: connector -> Kafka (Avro)`,
        ...connectorCells(streaming.connector, 'events/s'),
      ],
      [
        '    mariadb-binlog (remote) -> /dev/null',
        `${thousands(streaming.mariadbBinlog.perSec)} changes/s`,
        mib(streaming.mariadbBinlog.peakRss),
      ],
      [
        '    mariadb-binlog --verbose -> /dev/null',
        `${thousands(streaming.mariadbBinlogVerbose.perSec)} changes/s`,
        mib(streaming.mariadbBinlogVerbose.peakRss),
      ],
      [
        '    project binlog decoder (in memory)',
        `${thousands(streaming.projectDecoder.perSec)} changes/s`,
        '-',
      ],
    ],
  )
  const runs: [string, ConnectorFigure][] = [
    ['snapshot', snapshot.connector],
    ['streaming', streaming.connector],
  ]
  const problems = runs.flatMap(([what, figure]) =>
    'committedEvents' in figure ? [] : [`${what}: ${describeConnector(figure)}`],
  )
  if (problems.length > 0) {
    console.log(`\nCONNECTOR FIGURES MISSING: ${problems.join('; ')}`)
  }
}

if (args.child !== undefined) {
  const loaded = await loadPlugin()
  if (loaded === null) throw new Error('no MariaDB ConnectorPlugin in connectors/mysql')
  await runConnectorChild(loaded.plugin, JSON.parse(args.values.spec ?? '{}') as ConnectorChildSpec)
} else {
  await main()
}
