/**
 * Records the MariaDB binlog fixtures of test/fixtures/binlog/mariadb/ from the real server.
 *
 *   node scripts/capture-binlog-fixtures.ts [case ...]
 *
 * For each case of scripts/binlog-fixtures/cases.ts it creates fresh tables, runs the
 * statements, and copies the events they produced *byte for byte from the binlog file the
 * server wrote* (its directory comes from @@log_bin_basename; run this on the database host
 * as a user that can read it). The file is the most faithful source: a COM_BINLOG_DUMP sends
 * the very same event bytes (checksums included) and only adds artificial ROTATE/heartbeat
 * events, which the unit tests build by hand. Other sessions write to the same binlog, so
 * only the GTID groups that mention the case's tables are kept, after the file's opening
 * FORMAT_DESCRIPTION, GTID_LIST and BINLOG_CHECKPOINT.
 *
 * Writes <case>.bin (binlog magic + events) and <case>.capture.json (the real names behind
 * the {t}/{t2} placeholders, server version, source positions). The expected decode, <case>.json, is written by hand and not touched.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import mysql from 'mysql2/promise'
import { testEnv } from '../test/helpers/env.ts'
import { uniqueName } from '../test/helpers/names.ts'
import { fixtureCases } from './binlog-fixtures/cases.ts'
import type { FixtureCase } from './binlog-fixtures/cases.ts'
import { selectEvents } from './binlog-fixtures/select-events.ts'

const outputDir = new URL('../test/fixtures/binlog/mariadb/', import.meta.url)

async function masterStatus(
  connection: mysql.Connection,
): Promise<{ file: string; position: number }> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS')
  const row = rows[0]
  if (row === undefined) throw new Error('SHOW MASTER STATUS returned nothing: is log_bin on?')
  return { file: String(row.File), position: Number(row.Position) }
}

async function capture(
  connection: mysql.Connection,
  binlogDir: string,
  fixture: FixtureCase,
): Promise<void> {
  const tables = {
    t: uniqueName(`bfx_${fixture.name.replaceAll('-', '_')}`),
    t2: uniqueName('bfx_t2'),
  }
  const substitute = (sql: string): string =>
    sql.replaceAll('{t}', tables.t).replaceAll('{t2}', tables.t2)
  for (const statement of fixture.session) await connection.query(statement)
  const start = await masterStatus(connection)
  try {
    for (const statement of fixture.statements) await connection.query(substitute(statement))
  } catch (error) {
    // Every case drops its own tables at the end; this only cleans up after a failure.
    await connection.query(`DROP TABLE IF EXISTS ${tables.t}, ${tables.t2}`)
    throw error
  }
  const end = await masterStatus(connection)
  if (end.file !== start.file) {
    throw new Error(
      `the binlog rotated from ${start.file} to ${end.file} during case ${fixture.name}; run it again`,
    )
  }
  const data = readFileSync(join(binlogDir, start.file)).subarray(0, end.position)
  const usedTables = fixture.statements.some((s) => s.includes('{t2}'))
    ? [tables.t, tables.t2]
    : [tables.t]
  const bin = selectEvents(data, start.position, usedTables)
  writeFileSync(new URL(`${fixture.name}.bin`, outputDir), bin)
  const [version] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v')
  const meta = {
    case: fixture.name,
    description: fixture.description,
    tables: { '{t}': tables.t, '{t2}': tables.t2 },
    server: String(version[0]?.v),
    source: { file: start.file, from: start.position, to: end.position },
    session: fixture.session,
    statements: fixture.statements.map(substitute),
  }
  writeFileSync(
    new URL(`${fixture.name}.capture.json`, outputDir),
    `${JSON.stringify(meta, null, 2)}\n`,
  )
  process.stdout.write(`${fixture.name}: ${bin.length} bytes\n`)
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2)
  const cases =
    wanted.length === 0 ? fixtureCases : fixtureCases.filter((c) => wanted.includes(c.name))
  if (cases.length !== Math.max(wanted.length, cases.length))
    throw new Error(`unknown case in ${wanted.join(', ')}`)
  for (const fixture of cases) {
    // One connection per case: session settings must not leak into the next case.
    const connection = await mysql.createConnection({
      ...testEnv.mariadb,
      charset: 'UTF8MB4_GENERAL_CI',
    })
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(
        'SELECT @@log_bin_basename AS base',
      )
      await capture(connection, dirname(String(rows[0]?.base)), fixture)
    } finally {
      await connection.end()
    }
  }
}

await main()
