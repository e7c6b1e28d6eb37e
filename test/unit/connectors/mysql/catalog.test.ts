import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  describeTables,
  listCapturedTables,
  readCollations,
} from '../../../../connectors/mysql/catalog.ts'
import { parseEnumValues } from '../../../../connectors/mysql/table-def.ts'
import { FakeQueryable } from './fake-queryable.ts'
import { testConfig } from './fixtures.ts'

describe('connectors/mysql/catalog', () => {
  it('parses ENUM and SET literals from COLUMN_TYPE', () => {
    assert.deepEqual(parseEnumValues("enum('a','b,c','it''s','')"), ['a', 'b,c', "it's", ''])
    assert.deepEqual(parseEnumValues("set('x')"), ['x'])
    assert.deepEqual(parseEnumValues('int(11)'), [])
  })

  it('lists the base tables the filters capture', async () => {
    const session = new FakeQueryable([
      [
        /information_schema\.TABLES/,
        [
          { db: 'shop', name: 'orders', estimated: '10' },
          { db: 'shop', name: 'audit', estimated: null },
          { db: 'other', name: 't', estimated: '1' },
        ],
      ],
    ])
    const tables = await listCapturedTables(
      session,
      testConfig({ 'database.include.list': 'shop', 'table.exclude.list': 'shop\\.audit' }),
    )
    assert.deepEqual(tables, [{ database: 'shop', table: 'orders', estimatedRows: 10 }])
  })

  it("describes columns, keys and MariaDB's JSON columns", async () => {
    const session = new FakeQueryable([
      [
        /information_schema\.COLUMNS/,
        [
          {
            tbl: 'orders',
            name: 'id',
            position: '1',
            data_type: 'int',
            column_type: 'int(10) unsigned',
            nullable: 'NO',
            extra: 'auto_increment',
          },
          {
            tbl: 'orders',
            name: 'doc',
            position: '2',
            data_type: 'longtext',
            column_type: 'longtext',
            nullable: 'YES',
            charset: 'utf8mb4',
            collation: 'utf8mb4_bin',
          },
          {
            tbl: 'orders',
            name: 'at',
            position: '3',
            data_type: 'datetime',
            column_type: 'datetime(3) /* mariadb-5.3 */',
            nullable: 'YES',
            fsp: '3',
          },
          {
            tbl: 'orders',
            name: 'state',
            position: '4',
            data_type: 'enum',
            column_type: "enum('a','b')",
            nullable: 'YES',
          },
        ],
      ],
      [/STATISTICS/, [{ tbl: 'orders', name: 'id' }]],
      [/COLLATIONS c ON/, [{ tbl: 'orders', charset: 'utf8mb4' }]],
      [/CHECK_CONSTRAINTS/, [{ tbl: 'orders', clause: 'json_valid(`doc`)' }]],
    ])
    const defs = await describeTables(
      session,
      [
        { database: 'shop', table: 'orders', estimatedRows: 5 },
        { database: 'shop', table: 'gone' },
      ],
      true,
    )
    assert.deepEqual([...defs.keys()], ['shop.orders'])
    const def = defs.get('shop.orders')
    assert.deepEqual(def?.primaryKey, ['id'])
    assert.equal(def.defaultCharset, 'utf8mb4')
    assert.equal(def.estimatedRows, 5)
    const [id, doc, at, state] = def.columns
    assert.equal(id?.unsigned, true)
    assert.equal(id.nullable, false)
    assert.equal(id.autoIncrement, true)
    assert.equal(doc?.dataType, 'json')
    assert.equal(at?.legacyTemporal, true)
    assert.equal(at.fsp, 3)
    assert.deepEqual(state?.values, ['a', 'b'])
  })

  it('maps collation ids to character sets', async () => {
    const session = new FakeQueryable([
      [
        /COLLATIONS/,
        [
          { id: '8', charset: 'latin1' },
          { id: '45', charset: 'utf8mb4' },
        ],
      ],
    ])
    assert.deepEqual(
      await readCollations(session),
      new Map([
        [8, 'latin1'],
        [45, 'utf8mb4'],
      ]),
    )
  })
})
