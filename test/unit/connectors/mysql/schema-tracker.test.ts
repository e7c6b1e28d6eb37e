import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { TextRow } from '../../../../connectors/mysql/connection.ts'
import { parseDdl } from '../../../../connectors/mysql/ddl-statement.ts'
import { ColumnType } from '../../../../connectors/mysql/protocol/index.ts'
import { SchemaTracker } from '../../../../connectors/mysql/schema-tracker.ts'
import { isCdcError } from '../../../../common/errors.ts'
import { FakeQueryable } from './fake-queryable.ts'
import { mapColumn, tableMap, testConfig } from './fixtures.ts'

/** information_schema as the catalog queries read it, for tables of database `shop`. */
class Catalog extends FakeQueryable {
  tables = new Map<string, { name: string; type: string }[]>()

  override query(sql: string, values: readonly unknown[] = []): Promise<TextRow[]> {
    void super.query(sql, values)
    const wanted = values.slice(1).map(String)
    const present = wanted.filter((name) => this.tables.has(name))
    if (sql.includes('information_schema.COLUMNS')) {
      return Promise.resolve(
        present.flatMap((name) =>
          (this.tables.get(name) ?? []).map((entry, index) => ({
            tbl: name,
            name: entry.name,
            position: String(index + 1),
            data_type: entry.type,
            column_type: entry.type,
            nullable: index === 0 ? 'NO' : 'YES',
          })),
        ),
      )
    }
    if (sql.includes('STATISTICS')) {
      return Promise.resolve(
        present.map((name) => ({ tbl: name, name: this.tables.get(name)?.[0]?.name ?? '' })),
      )
    }
    return Promise.resolve([])
  }
}

function tracker(catalog: Catalog, fullRowMetadata = true) {
  const warnings: string[] = []
  const schemas = new SchemaTracker({
    session: catalog,
    filters: testConfig({ 'database.include.list': 'shop' }),
    capture: testConfig(),
    collations: new Map(),
    mariadb: true,
    fullRowMetadata,
    warn: (message) => warnings.push(message),
  })
  return { schemas, warnings }
}

const intColumn = (index: number, name: string | null) =>
  mapColumn(index, ColumnType.LONG, { name, nullable: index !== 0 })

describe('connectors/mysql/schema-tracker', () => {
  it('reuses the loaded schema while table maps fit it, and ignores other databases', async () => {
    const catalog = new Catalog()
    catalog.tables.set('t', [
      { name: 'id', type: 'int' },
      { name: 'a', type: 'int' },
    ])
    const { schemas } = tracker(catalog)
    await schemas.load([{ database: 'shop', table: 't' }])
    const reads = catalog.statements.length
    const map = tableMap('shop', 't', [intColumn(0, 'id'), intColumn(1, 'a')])
    const captured = await schemas.onTableMap(map)
    assert.equal(captured, schemas.get('shop', 't'))
    assert.equal(schemas.forRows(map), captured)
    assert.equal(catalog.statements.length, reads, 'no information_schema read')
    assert.equal(await schemas.onTableMap(tableMap('other', 't', [intColumn(0, 'id')])), null)
    assert.deepEqual(captured.schema.keyColumns, ['id'])
    assert.equal(captured.schema.topic, 'shop.shop.t')
  })

  it('re-reads a table after DDL and reports the change', async () => {
    const catalog = new Catalog()
    catalog.tables.set('t', [{ name: 'id', type: 'int' }])
    const { schemas } = tracker(catalog)
    await schemas.load([{ database: 'shop', table: 't' }])
    catalog.tables.set('t', [
      { name: 'id', type: 'int' },
      { name: 'b', type: 'varchar' },
    ])
    const outcome = await schemas.onDdl(
      parseDdl('ALTER TABLE t ADD b VARCHAR(5)', 'shop') ?? parseDdlFailed(),
    )
    assert.deepEqual(
      outcome.changes.map((change) => [change.type, change.def.columns.length]),
      [['ALTER', 2]],
    )
    assert.equal(schemas.get('shop', 't')?.columns.length, 2)
  })

  it('keeps a renamed table the definition it had, when information_schema no longer has it', async () => {
    const catalog = new Catalog()
    catalog.tables.set('u', [{ name: 'k', type: 'int' }])
    const { schemas } = tracker(catalog)
    await schemas.load([{ database: 'shop', table: 'u' }])
    catalog.tables.clear()
    const rename = await schemas.onDdl(parseDdl('RENAME TABLE u TO w', 'shop') ?? parseDdlFailed())
    assert.deepEqual(
      rename.changes.map((change) => `${change.type}:${change.def.table}`),
      ['DROP:u', 'CREATE:w'],
    )
    assert.equal(schemas.get('shop', 'w')?.columns[0]?.def.name, 'k')
    const drop = await schemas.onDdl(parseDdl('DROP TABLE w, x', 'shop') ?? parseDdlFailed())
    assert.deepEqual(
      drop.changes.map(
        (change) => `${change.type}:${change.def.table}:${change.def.columns.length}`,
      ),
      ['DROP:w:1', 'DROP:x:0'],
    )
    const truncate = await schemas.onDdl(parseDdl('TRUNCATE other.t', 'shop') ?? parseDdlFailed())
    assert.equal(truncate.captured, false)
  })

  it('decodes old events by their named table map, and refuses unnamed ones that do not fit', async () => {
    const catalog = new Catalog()
    catalog.tables.set('t', [{ name: 'id', type: 'int' }])
    const named = tracker(catalog)
    await named.schemas.load([{ database: 'shop', table: 't' }])
    const older = tableMap('shop', 't', [intColumn(0, 'id'), intColumn(1, 'gone')])
    const captured = await named.schemas.onTableMap(older)
    assert.deepEqual(
      captured?.columns.map((entry) => entry.def.name),
      ['id', 'gone'],
    )
    assert.equal(named.warnings.length, 1)
    assert.equal(named.schemas.get('shop', 't')?.columns.length, 1, 'the current schema stays')

    const unnamed = tracker(catalog, false)
    await unnamed.schemas.load([{ database: 'shop', table: 't' }])
    await assert.rejects(
      unnamed.schemas.onTableMap(tableMap('shop', 't', [intColumn(0, null), intColumn(1, null)])),
      (error: unknown) =>
        isCdcError(error) &&
        error.code === 'CDC_MYSQL_SCHEMA_MISMATCH' &&
        /binlog_row_metadata=FULL/.test(error.message),
    )
  })
})

function parseDdlFailed(): never {
  throw new Error('the statement did not parse')
}
