import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ColumnType } from '../../../../connectors/mysql/protocol/index.ts'
import {
  decideTableDef,
  hasColumnNames,
  tableDefFromMap,
  tableMapMisfit,
} from '../../../../connectors/mysql/table-map-match.ts'
import { column, mapColumn, table, tableMap } from './fixtures.ts'

const T = ColumnType
const collations = new Map([
  [45, 'utf8mb4'],
  [8, 'latin1'],
  [63, 'binary'],
])

const catalog = table(
  'shop',
  'orders',
  [
    column('id', 'int', { nullable: false }),
    column('name', 'varchar', { charset: 'utf8mb4', octetLength: 80 }),
    column('code', 'uuid'),
    column('amount', 'decimal', { precision: 10, scale: 2, unsigned: true }),
    column('at', 'datetime', { fsp: 3 }),
  ],
  ['id'],
)

/** The table map a FULL-metadata server writes for `catalog`. */
function fullMap() {
  return tableMap('shop', 'orders', [
    mapColumn(0, T.LONG, { name: 'id', unsigned: false, nullable: false }),
    mapColumn(1, T.VARCHAR, { name: 'name', maxLength: 80, collation: 45 }),
    mapColumn(2, T.STRING, { name: 'code', maxLength: 16, collation: 63 }),
    mapColumn(3, T.NEWDECIMAL, { name: 'amount', precision: 10, scale: 2, unsigned: true }),
    mapColumn(4, T.DATETIME2, { name: 'at', fsp: 3 }),
  ])
}

/** The same table map without optional metadata (binlog_row_metadata=NO_LOG/MINIMAL). */
function bareMap() {
  return tableMap(
    'shop',
    'orders',
    fullMap().columns.map((info) => ({ ...info, name: null, unsigned: null, collation: null })),
  )
}

describe('connectors/mysql/table-map-match', () => {
  it('accepts information_schema when the table map fits it, with or without names', () => {
    assert.equal(tableMapMisfit(fullMap(), catalog), null)
    assert.equal(tableMapMisfit(bareMap(), catalog), null)
    assert.deepEqual(decideTableDef(bareMap(), catalog, collations), { kind: 'use', def: catalog })
    assert.ok(hasColumnNames(fullMap()))
    assert.ok(!hasColumnNames(bareMap()))
  })

  it('names what does not fit', () => {
    const renamed = {
      ...fullMap(),
      columns: fullMap().columns.map((c) => (c.index === 1 ? { ...c, name: 'title' } : c)),
    }
    assert.match(String(tableMapMisfit(renamed, catalog)), /title in the binlog but name/)
    const retyped = {
      ...bareMap(),
      columns: bareMap().columns.map((c) =>
        c.index === 0 ? { ...c, realType: T.LONGLONG, typeName: 'LONGLONG' } : c,
      ),
    }
    assert.match(String(tableMapMisfit(retyped, catalog)), /LONGLONG in the binlog but int/)
    const fewer = { ...bareMap(), columns: bareMap().columns.slice(0, 4) }
    assert.match(String(tableMapMisfit(fewer, catalog)), /4 columns but information_schema has 5/)
    const scale = {
      ...bareMap(),
      columns: bareMap().columns.map((c) => (c.index === 3 ? { ...c, scale: 3 } : c)),
    }
    assert.match(String(tableMapMisfit(scale, catalog)), /DECIMAL\(10,3\)/)
    const fsp = {
      ...bareMap(),
      columns: bareMap().columns.map((c) => (c.index === 4 ? { ...c, fsp: 6 } : c)),
    }
    assert.match(String(tableMapMisfit(fsp, catalog)), /6 fractional digits/)
    const signed = {
      ...fullMap(),
      columns: fullMap().columns.map((c) => (c.index === 3 ? { ...c, unsigned: false } : c)),
    }
    assert.match(String(tableMapMisfit(signed, catalog)), /signed in the binlog/)
  })

  it('refuses a table map without names that does not fit, rather than decode by position', () => {
    const changed = { ...bareMap(), columns: [...bareMap().columns, mapColumn(5, T.LONG)] }
    const decision = decideTableDef(changed, catalog, collations)
    assert.equal(decision.kind, 'refuse')
    assert.match(decision.reason, /6 columns/)
    assert.equal(decideTableDef(bareMap(), null, collations).kind, 'refuse')
  })

  it("describes the table from a named table map, keeping information_schema's unchanged columns", () => {
    const older = tableMap('shop', 'orders', [
      ...fullMap().columns,
      mapColumn(5, T.VARCHAR, { name: 'note', maxLength: 10, collation: 8 }),
      mapColumn(6, T.STRING, {
        name: 'state',
        realType: T.ENUM,
        lengthBytes: 1,
        enumValues: [Buffer.from('new'), Buffer.from('old')],
      }),
      mapColumn(7, T.LONGLONG, { name: 'big', unsigned: true }),
    ])
    older.primaryKey = [{ column: 0, prefix: 0 }]
    const decision = decideTableDef(older, catalog, collations)
    assert.equal(decision.kind, 'use')
    const def = decision.def
    assert.deepEqual(
      def.columns.map((c) => c.name),
      ['id', 'name', 'code', 'amount', 'at', 'note', 'state', 'big'],
    )
    // A UUID stays a UUID although the binlog only says BINARY(16).
    assert.equal(def.columns[2]?.dataType, 'uuid')
    assert.equal(def.columns[5]?.dataType, 'varchar')
    assert.equal(def.columns[5].charset, 'latin1')
    assert.equal(def.columns[6]?.dataType, 'enum')
    assert.deepEqual(def.columns[6].values, ['new', 'old'])
    assert.equal(def.columns[7]?.unsigned, true)
    assert.deepEqual(def.primaryKey, ['id'])
    assert.equal(tableDefFromMap(older, collations, null).columns[2]?.dataType, 'binary')
  })
})
