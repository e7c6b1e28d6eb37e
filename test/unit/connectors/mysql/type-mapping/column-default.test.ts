import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defaultLiteral } from '../../../../../connectors/mysql/type-mapping/column-default.ts'
import { mapColumn } from '../../../../../connectors/mysql/type-mapping/column-mapping.ts'
import type { ColumnDef } from '../../../../../connectors/mysql/table-def.ts'
import { Decimal } from '../../../../../envelope/connect-schema.ts'
import { toAvroSchema } from '../../../../../envelope/avro-schema.ts'
import { column } from '../fixtures.ts'

function schemaOf(def: ColumnDef) {
  return mapColumn(
    def,
    {
      decimalHandlingMode: 'precise',
      timePrecisionMode: 'adaptive_time_microseconds',
      bigintUnsignedHandlingMode: 'long',
    },
    `db.t.${def.name}`,
  ).schema
}

describe('connectors/mysql/type-mapping/column-default', () => {
  it('reads literals as MariaDB and MySQL show them in information_schema, and nothing else', () => {
    assert.equal(defaultLiteral("'it''s'"), "it's")
    assert.equal(defaultLiteral("''"), '')
    assert.equal(defaultLiteral('42'), '42')
    assert.equal(defaultLiteral('-1.50'), '-1.50')
    assert.equal(defaultLiteral('plain'), 'plain', 'MySQL shows string literals bare')
    assert.equal(defaultLiteral(null), undefined)
    assert.equal(defaultLiteral('NULL'), undefined)
    assert.equal(defaultLiteral('current_timestamp()'), undefined)
    assert.equal(defaultLiteral('uuid()'), undefined)
    assert.equal(defaultLiteral("b'101'"), undefined)
  })

  it('puts the default, as the column maps values, into its Connect schema', () => {
    const label = schemaOf(column('label', 'varchar', { nullable: false, defaultExpression: "''" }))
    assert.equal(label.default, '')
    assert.equal(label.optional, false)
    const n = schemaOf(column('n', 'int', { nullable: false, defaultExpression: '7' }))
    assert.equal(n.default, 7)
    const amount = schemaOf(
      column('amount', 'decimal', { precision: 10, scale: 2, defaultExpression: '1.50' }),
    )
    assert.ok(amount.default instanceof Decimal)
    assert.equal(String(amount.default), '1.50')
    const day = schemaOf(column('day', 'date', { defaultExpression: "'2024-02-29'" }))
    assert.equal(day.default, 19782)
  })

  it('leaves out defaults that are expressions, NULL, or that the column cannot parse', () => {
    for (const expression of [null, 'NULL', 'current_timestamp()', 'CURRENT_TIMESTAMP']) {
      const schema = schemaOf(column('at', 'datetime', { fsp: 0, defaultExpression: expression }))
      assert.equal(schema.default, undefined, String(expression))
    }
  })

  it('gives an added NOT NULL column an Avro field default, which keeps the change BACKWARD compatible', () => {
    const schema = schemaOf(
      column('label', 'varchar', { nullable: false, defaultExpression: "'x'" }),
    )
    const avro = toAvroSchema({
      type: 'struct',
      optional: false,
      name: 'db.t.Value',
      fields: [{ name: 'label', schema }],
    }) as { fields: Array<{ name: string; type: unknown; default?: unknown }> }
    // As Confluent's AvroData writes it: the Avro default, and Connect's copy of it.
    assert.deepEqual(avro.fields[0], {
      name: 'label',
      type: { type: 'string', 'connect.default': 'x' },
      default: 'x',
    })
  })
})
