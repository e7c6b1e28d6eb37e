// Proves MariaDB writes a row-based binlog with full images: an insert appears as a
// Write_rows event for its table.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import mysql from 'mysql2/promise'
import { testEnv } from '../../helpers/env.ts'
import { uniqueName } from '../../helpers/names.ts'

describe('services: MariaDB', () => {
  let connection: mysql.Connection
  before(async () => {
    connection = await mysql.createConnection(testEnv.mariadb)
  })
  after(async () => {
    await connection.end()
  })

  it('runs with a row binlog, full row image and full row metadata', async () => {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      'select @@log_bin as log_bin, @@binlog_format as format, @@binlog_row_image as image, @@binlog_row_metadata as metadata',
    )
    assert.deepEqual({ ...rows[0] }, { log_bin: 1, format: 'ROW', image: 'FULL', metadata: 'FULL' })
  })

  it('an inserted row shows up as a Write_rows event in the binlog', async () => {
    const table = uniqueName('smoke')
    const [status] = await connection.query<mysql.RowDataPacket[]>('show master status')
    const file = String(status[0]?.File)
    const position = Number(status[0]?.Position)
    await connection.query(`create table ${table} (id int primary key, name varchar(20))`)
    try {
      await connection.query(`insert into ${table} values (1, 'Ada')`)
      const [events] = await connection.query<mysql.RowDataPacket[]>(
        `show binlog events in ${connection.escape(file)} from ${position}`,
      )
      const types = events.map((event) => `${String(event.Event_type)}:${String(event.Info)}`)
      const mapIndex = types.findIndex(
        (t) => t.startsWith('Table_map:') && t.includes(`.${table})`),
      )
      assert.ok(mapIndex >= 0, `no Table_map for ${table} in ${JSON.stringify(types)}`)
      assert.match(types[mapIndex + 1] ?? '', /^Write_rows(_v1)?:/)
    } finally {
      await connection.query(`drop table if exists ${table}`)
    }
  })
})
