import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import type { ChangeRecord } from '../../../envelope/change-record.ts'
import type { StructValue } from '../../../envelope/connect-schema.ts'
import {
  buildChangeRecords,
  newKeyHeader,
  oldKeyHeader,
} from '../../../envelope/debezium-envelope.ts'
import { envelopeSchemaFor, keySchemaFor } from '../../../envelope/envelope-schemas.ts'
import { keylessTable, ordersTable, pgSource, pgSourceValue, rowEvent } from './fixtures.ts'

const row1 = { id: 1n, region: 'eu', note: 'first' }
const row1b = { id: 1n, region: 'eu', note: 'second' }
const row2 = { id: 2n, region: 'us', note: 'moved' }

function valueOf(record: ChangeRecord | undefined): StructValue {
  const value = record?.value?.value
  assert.ok(value !== null && value !== undefined && typeof value === 'object')
  return value as StructValue
}

function keyOf(record: ChangeRecord | undefined): unknown {
  return record?.key?.value
}

function rejects(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error) => {
    assert.ok(isCdcError(error))
    assert.equal(error.code, 'CDC_ENVELOPE_INVALID_VALUE')
    assert.match(error.message, pattern)
    return true
  })
}

describe('envelope/debezium-envelope', () => {
  it('builds a create: keyed by the new row, before null, envelope fields filled', () => {
    const [record, ...rest] = buildChangeRecords(rowEvent('c', null, row1))
    assert.equal(rest.length, 0)
    assert.equal(record?.topic, 'srv.public.orders')
    assert.equal(record.key?.schema, keySchemaFor(ordersTable))
    assert.deepEqual(keyOf(record), { id: 1n, region: 'eu' })
    assert.equal(record.value?.schema, envelopeSchemaFor(ordersTable, pgSource))
    assert.deepEqual(valueOf(record), {
      before: null,
      after: row1,
      source: pgSourceValue(),
      transaction: null,
      op: 'c',
      ts_ms: 1_700_000_000_123n,
      ts_us: 1_700_000_000_123_000n,
      ts_ns: 1_700_000_000_123_000_000n,
    })
    assert.equal(record.headers, undefined)
  })

  it('builds a snapshot read the same way with op r', () => {
    const records = buildChangeRecords(rowEvent('r', null, row1))
    assert.equal(records.length, 1)
    assert.equal(valueOf(records[0]).op, 'r')
    assert.deepEqual(keyOf(records[0]), { id: 1n, region: 'eu' })
  })

  it('builds an update that keeps its key as one u record, with or without before', () => {
    const withBefore = buildChangeRecords(rowEvent('u', row1, row1b))
    assert.equal(withBefore.length, 1)
    assert.equal(valueOf(withBefore[0]).op, 'u')
    assert.deepEqual(valueOf(withBefore[0]).before, row1)
    assert.deepEqual(valueOf(withBefore[0]).after, row1b)
    assert.deepEqual(keyOf(withBefore[0]), { id: 1n, region: 'eu' })
    const withoutBefore = buildChangeRecords(rowEvent('u', null, row1b))
    assert.equal(withoutBefore.length, 1)
    assert.equal(valueOf(withoutBefore[0]).before, null)
  })

  it('follows a delete with a tombstone under the same key', () => {
    const [removal, tombstone, ...rest] = buildChangeRecords(rowEvent('d', row1, null))
    assert.equal(rest.length, 0)
    assert.equal(valueOf(removal).op, 'd')
    assert.deepEqual(valueOf(removal).before, row1)
    assert.equal(valueOf(removal).after, null)
    assert.equal(tombstone?.topic, 'srv.public.orders')
    assert.equal(tombstone.value, null)
    assert.deepEqual(tombstone.key, removal?.key)
    assert.equal(tombstone.headers, undefined)
  })

  it('leaves the tombstone out when tombstones.on.delete is false', () => {
    const records = buildChangeRecords(rowEvent('d', row1, null), { tombstonesOnDelete: false })
    assert.equal(records.length, 1)
    assert.equal(valueOf(records[0]).op, 'd')
  })

  it('splits a key change into delete, tombstone and create with the key headers', () => {
    const [removal, tombstone, creation, ...rest] = buildChangeRecords(rowEvent('u', row1, row2))
    assert.equal(rest.length, 0)
    assert.deepEqual(keyOf(removal), { id: 1n, region: 'eu' })
    assert.equal(valueOf(removal).op, 'd')
    assert.deepEqual(valueOf(removal).before, row1)
    assert.equal(valueOf(removal).after, null)
    assert.deepEqual(removal?.headers, { [newKeyHeader]: '{"id":2,"region":"us"}' })
    assert.deepEqual(keyOf(tombstone), { id: 1n, region: 'eu' })
    assert.equal(tombstone?.value, null)
    assert.deepEqual(tombstone.headers, { '__debezium.newkey': '{"id":2,"region":"us"}' })
    assert.deepEqual(keyOf(creation), { id: 2n, region: 'us' })
    assert.equal(valueOf(creation).op, 'c')
    assert.equal(valueOf(creation).before, null)
    assert.deepEqual(valueOf(creation).after, row2)
    assert.deepEqual(creation?.headers, { [oldKeyHeader]: '{"id":1,"region":"eu"}' })
  })

  it('splits a key change without a tombstone when tombstones are off', () => {
    const records = buildChangeRecords(rowEvent('u', row1, row2), { tombstonesOnDelete: false })
    assert.deepEqual(
      records.map((record) => valueOf(record).op),
      ['d', 'c'],
    )
  })

  it('gives keyless tables null keys, tombstones included, and never splits updates', () => {
    const [created] = buildChangeRecords(rowEvent('c', null, row1, keylessTable))
    assert.equal(created?.key, null)
    const deleted = buildChangeRecords(rowEvent('d', row1, null, keylessTable))
    assert.deepEqual(
      deleted.map((record) => [record.key, record.value === null]),
      [
        [null, false],
        [null, true],
      ],
    )
    const updated = buildChangeRecords(rowEvent('u', row1, row2, keylessTable))
    assert.equal(updated.length, 1)
    assert.equal(valueOf(updated[0]).op, 'u')
  })

  it('builds a truncate with a null key and no rows', () => {
    const records = buildChangeRecords({
      kind: 'truncate',
      op: 't',
      table: ordersTable,
      tsMs: 5,
      source: { schema: pgSource, value: pgSourceValue() },
    })
    assert.equal(records.length, 1)
    assert.equal(records[0]?.key, null)
    assert.equal(records[0].topic, 'srv.public.orders')
    assert.equal(records[0].value?.schema, envelopeSchemaFor(ordersTable, pgSource))
    const value = valueOf(records[0])
    assert.equal(value.op, 't')
    assert.equal(value.before, null)
    assert.equal(value.after, null)
    assert.equal(value.ts_ms, 5n)
  })

  it('fills the transaction block and derives timestamps from tsNs when given', () => {
    const event = {
      ...rowEvent('c', null, row1),
      tsNs: 1_766_925_059_873_428_925n,
      transaction: { id: '779:34389336', totalOrder: 3n, dataCollectionOrder: 2n },
    }
    const value = valueOf(buildChangeRecords(event)[0])
    assert.deepEqual(value.transaction, {
      id: '779:34389336',
      total_order: 3n,
      data_collection_order: 2n,
    })
    assert.equal(value.ts_ms, 1_766_925_059_873n)
    assert.equal(value.ts_us, 1_766_925_059_873_428n)
    assert.equal(value.ts_ns, 1_766_925_059_873_428_925n)
  })

  it('rejects rows that do not fit the table, naming topic and field', () => {
    rejects(
      () => buildChangeRecords(rowEvent('c', null, { ...row1, id: 'abc' })),
      /srv\.public\.orders.*after\.id.*string "abc"/,
    )
    rejects(() => buildChangeRecords(rowEvent('c', null, { ...row1, id: 1 })), /after\.id.*bigint/)
    rejects(() => buildChangeRecords(rowEvent('c', null, { id: 1n, note: null })), /after\.region/)
    rejects(
      () => buildChangeRecords(rowEvent('u', { ...row1, region: 5 }, row1b)),
      /before\.region/,
    )
  })

  it('rejects source values that do not fit the source schema', () => {
    const event = rowEvent('c', null, row1)
    const bad = { ...event, source: { schema: pgSource, value: pgSourceValue({ lsn: 5 }) } }
    rejects(() => buildChangeRecords(bad), /source\.lsn/)
  })

  it('rejects rows missing or present against the op', () => {
    rejects(() => buildChangeRecords(rowEvent('c', row1, row1)), /c event has no before/)
    rejects(() => buildChangeRecords(rowEvent('r', null, null)), /r event needs its after/)
    rejects(() => buildChangeRecords(rowEvent('u', row1, null)), /u event needs its after/)
    rejects(() => buildChangeRecords(rowEvent('d', null, null)), /d event needs its before/)
    rejects(() => buildChangeRecords(rowEvent('d', row1, row1)), /d event has no after/)
  })

  it('rejects a processing time that is not whole milliseconds', () => {
    rejects(() => buildChangeRecords({ ...rowEvent('c', null, row1), tsMs: 1.5 }), /ts_ms/)
  })
})
