import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildRow, captureTable, keyOf } from '../../../../connectors/postgres/captured-table.ts'
import { parsePostgresConfig } from '../../../../connectors/postgres/config.ts'
import {
  unchangedToast,
  type TupleValue,
} from '../../../../connectors/postgres/pgoutput/messages.ts'
import type { PgType } from '../../../../connectors/postgres/type-mapping/pg-type.ts'

const base = {
  schema: 'pg_catalog',
  typtype: 'b',
  elementOid: 0,
  delimiter: ',',
  baseOid: 0,
  baseTypmod: -1,
  labels: [],
}
const types = new Map<number, PgType>([
  [23, { ...base, oid: 23, name: 'int4' }],
  [25, { ...base, oid: 25, name: 'text' }],
])
const lookup = {
  get(oid: number): PgType {
    const type = types.get(oid)
    if (type === undefined) throw new Error(`no type ${oid}`)
    return type
  },
}

const source = {
  oid: 1,
  schema: 'shop',
  name: 'orders',
  replicaIdentity: 'd' as const,
  primaryKey: ['id'],
  columns: [
    { name: 'id', typeOid: 23, typmod: -1, notNull: true, typeText: 'integer' },
    { name: 'secret', typeOid: 25, typmod: -1, notNull: false, typeText: 'text' },
    { name: 'note', typeOid: 25, typmod: -1, notNull: true, typeText: 'text' },
  ],
}

const settings = (extra: Record<string, string> = {}) =>
  parsePostgresConfig({
    'connector.class': 'postgres',
    'database.hostname': 'h',
    'database.user': 'u',
    'database.dbname': 'db',
    'topic.prefix': 'app',
    ...extra,
  })

describe('connectors/postgres/captured-table', () => {
  it('names the topic and key, keeping the primary key even when filters exclude it', () => {
    const table = captureTable(
      settings({ 'column.exclude.list': 'shop\\.orders\\.(secret|id)' }),
      lookup,
      'db',
      source,
    )
    assert.equal(table.schema.topic, 'app.shop.orders')
    assert.deepEqual(table.schema.id, { database: 'db', schema: 'shop', table: 'orders' })
    assert.deepEqual(table.schema.keyColumns, ['id'])
    assert.deepEqual(
      table.schema.columns.map((column) => [
        column.name,
        column.sourceType,
        column.schema.optional,
      ]),
      [
        ['id', 'integer', false],
        ['note', 'text', false],
      ],
    )
    // Tuple positions still refer to the relation's columns.
    assert.deepEqual(
      table.columns.map((column) => column.index),
      [0, 2],
    )
  })

  it('uses message.key.columns, and rejects a column the table lacks', () => {
    assert.deepEqual(
      captureTable(settings({ 'message.key.columns': 'shop.orders:note' }), lookup, 'db', source)
        .schema.keyColumns,
      ['note'],
    )
    assert.throws(
      () =>
        captureTable(settings({ 'message.key.columns': 'shop.orders:nope' }), lookup, 'db', source),
      { code: 'CDC_CONFIG_INVALID' },
    )
  })

  it('fills rows: null for optional columns not sent, the type zero for required ones, the placeholder for unchanged TOAST', () => {
    const table = captureTable(settings(), lookup, 'db', source)
    const tuple = ['7', null, null]
    assert.deepEqual(
      buildRow(table, (column) => tuple[column.index] ?? null),
      { id: 7, secret: null, note: '' },
    )
    const toasted: TupleValue[] = ['7', unchangedToast, 'n']
    assert.deepEqual(
      buildRow(table, (column) => toasted[column.index] ?? null),
      { id: 7, secret: '__debezium_unavailable_value', note: 'n' },
    )
  })

  it('names table and column when a value cannot be converted', () => {
    const table = captureTable(settings(), lookup, 'db', source)
    assert.throws(
      () => buildRow(table, (column) => (column.name === 'id' ? 'x' : 'a')),
      /shop\.orders\.id/,
    )
  })

  it('compares keys by value', () => {
    const table = captureTable(settings(), lookup, 'db', source)
    assert.equal(keyOf(table, { id: 1, note: 'a' }), keyOf(table, { id: 1, note: 'b' }))
    assert.notEqual(keyOf(table, { id: 1 }), keyOf(table, { id: 2 }))
  })
})
