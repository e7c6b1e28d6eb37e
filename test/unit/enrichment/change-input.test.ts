import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import type { JoinInput, RowChangeInput } from '../../../enrichment/change-input.ts'
import { ChangeInputDecoder } from '../../../enrichment/change-input.ts'
import { connectJsonSchemaText } from '../../../envelope/json-format.ts'
import { valueSchemaFor } from '../../../envelope/envelope-schemas.ts'
import type { Format } from './record-fixtures.ts'
import {
  FakeRegistry,
  consumed,
  customersTable,
  encodePart,
  mysqlEvent,
  ordersTable,
  pgEvent,
} from './record-fixtures.ts'
import { transactionEndRecord } from '../../../envelope/transaction-metadata.ts'

const formats: Format[] = ['json-schema', 'json-plain', 'avro']
const big = 2n ** 53n + 1n
const credit = new Decimal(-123456789012345678901234n, 2)
const alice = { id: big, name: 'Alice', credit }
const alice2 = { id: big, name: 'Alice B', credit: null }
const at = { lastCommit: 2n ** 62n, lsn: 2n ** 62n + 5n }

async function decodeAll(
  records: ReturnType<typeof consumed>,
  decoder: ChangeInputDecoder,
): Promise<JoinInput[]> {
  const out: JoinInput[] = []
  for (const record of records) out.push(await decoder.decode(record))
  return out
}

function change(input: JoinInput | undefined): RowChangeInput {
  if (input?.kind !== 'change') assert.fail(`expected a change, got ${input?.kind ?? 'nothing'}`)
  return input
}

const invalid = (error: unknown) => isCdcError(error) && error.code === 'CDC_ENRICH_INPUT_INVALID'

describe('enrichment/change-input', () => {
  for (const format of formats) {
    it(`reads c, u, d and the tombstone in ${format}, int64 and decimals exact`, async () => {
      const registry = new FakeRegistry()
      const decoder = new ChangeInputDecoder({ schemaById: registry.schemaById })
      const records = [
        ...consumed(pgEvent(customersTable, 'c', null, alice, at), format, registry, 0n),
        ...consumed(pgEvent(customersTable, 'u', alice, alice2, at), format, registry, 1n),
        ...consumed(pgEvent(customersTable, 'd', alice2, null, at), format, registry, 2n),
      ]
      const [created, updated, deleted, tombstone] = await decodeAll(records, decoder)
      const c = change(created)
      assert.equal(c.op, 'c')
      assert.equal(c.before, null)
      assert.equal(c.topic, 'srv.public.customers')
      assert.deepEqual(c.key, records[0]?.key)
      assert.deepEqual(c.keyValue, { id: big })
      assert.deepEqual(c.pos, {
        kind: 'postgres',
        parts: [at.lastCommit, at.lsn],
        txn: `c${at.lastCommit}`,
      })
      assert.equal(c.tsMs, 1_700_000_000_000n)
      if (format === 'json-plain') {
        assert.equal(c.rowSchema, null)
        // Without schemas a decimal is just its base64 text; int64 is still exact.
        assert.ok(c.after !== null)
        assert.equal(c.after.id, big)
        assert.equal(typeof c.after.credit, 'string')
      } else {
        assert.deepEqual(c.after, alice)
        assert.equal(
          connectJsonSchemaText(c.rowSchema ?? valueSchemaFor(ordersTable)),
          connectJsonSchemaText(valueSchemaFor(customersTable)),
        )
      }
      const u = change(updated)
      assert.equal(u.op, 'u')
      assert.equal(u.after?.name, 'Alice B')
      assert.equal(u.offset, 1n)
      const d = change(deleted)
      assert.equal(d.op, 'd')
      assert.equal(d.after, null)
      assert.equal(d.before?.name, 'Alice B')
      assert.equal(tombstone?.kind, 'tombstone')
      assert.deepEqual(tombstone.keyValue, { id: big })
      assert.equal(tombstone.offset, 3n)
    })
  }

  it('reads a snapshot read (r) and a primary-key change as delete, tombstone and create', async () => {
    const registry = new FakeRegistry()
    const decoder = new ChangeInputDecoder({ schemaById: registry.schemaById })
    const snap = change(
      (
        await decodeAll(
          consumed(
            pgEvent(
              ordersTable,
              'r',
              null,
              { id: 1n, customer_id: 5n, note: null },
              { lastCommit: null, lsn: 900n, snapshot: true },
            ),
            'avro',
            registry,
          ),
          decoder,
        )
      )[0],
    )
    assert.equal(snap.op, 'r')
    assert.deepEqual(snap.pos, { kind: 'postgres', parts: [900n, 0n], txn: 'x771' })
    const moved = consumed(
      pgEvent(
        ordersTable,
        'u',
        { id: 1n, customer_id: 5n, note: null },
        { id: 2n, customer_id: 5n, note: null },
        at,
      ),
      'json-schema',
      registry,
    )
    const inputs = await decodeAll(moved, decoder)
    assert.deepEqual(
      inputs.map((input) => [input.kind, input.kind === 'change' ? input.op : '', input.keyValue]),
      [
        ['change', 'd', { id: 1n }],
        ['tombstone', '', { id: 1n }],
        ['change', 'c', { id: 2n }],
      ],
    )
  })

  it('reads MySQL binlog positions and GTIDs', async () => {
    const registry = new FakeRegistry()
    const decoder = new ChangeInputDecoder({ schemaById: registry.schemaById })
    const gtid = '3e11fa47-71ca-11e1-9e33-c80aa9429562:77'
    const event = mysqlEvent(
      ordersTable,
      'c',
      null,
      { id: 3n, customer_id: null, note: 'x' },
      { file: 'mysql-bin.000012', pos: 4711n, row: 3, gtid },
    )
    for (const format of formats) {
      const input = change((await decodeAll(consumed(event, format, registry), decoder))[0])
      assert.deepEqual(input.pos, { kind: 'binlog', parts: [12n, 4711n, 3n], txn: gtid }, format)
    }
  })

  it('reads transaction blocks and transaction metadata records (strict mode)', async () => {
    const registry = new FakeRegistry()
    const decoder = new ChangeInputDecoder({ schemaById: registry.schemaById })
    const event = {
      ...pgEvent(customersTable, 'c', null, alice, at),
      transaction: { id: '771', totalOrder: 3n, dataCollectionOrder: 2n },
    }
    const end = transactionEndRecord('srv.transaction', '771', 5n, [
      { dataCollection: 'public.customers', eventCount: 2n },
      { dataCollection: 'public.orders', eventCount: 1n },
    ])
    for (const format of formats) {
      const input = change((await decodeAll(consumed(event, format, registry), decoder))[0])
      assert.deepEqual(input.transaction, { id: '771', dataCollectionOrder: 2n })
      assert.equal(input.dataCollection, 'public.customers')
      const marker = await decoder.decodeTransaction({
        topic: end.topic,
        partition: 0,
        offset: 0n,
        key: encodePart(end.key, format, registry),
        value: encodePart(end.value, format, registry),
      })
      assert.deepEqual(marker, {
        status: 'END',
        id: '771',
        counts: new Map([
          ['public.customers', 2n],
          ['public.orders', 1n],
        ]),
      })
    }
    await assert.rejects(
      decoder.decodeTransaction({
        topic: 'x',
        partition: 0,
        offset: 1n,
        key: null,
        value: Buffer.from('{"status":"END","id":"1"}'),
      }),
      invalid,
    )
  })

  it('lets truncate and message events through as ignored', async () => {
    const registry = new FakeRegistry()
    const decoder = new ChangeInputDecoder({ schemaById: registry.schemaById })
    const base = pgEvent(ordersTable, 'c', null, { id: 1n, customer_id: null, note: null }, at)
    const truncate = {
      kind: 'truncate' as const,
      op: 't' as const,
      table: ordersTable,
      source: base.source,
      tsMs: base.tsMs,
    }
    const message = {
      kind: 'message' as const,
      op: 'm' as const,
      topic: 'srv.message',
      prefix: 'p',
      content: new Uint8Array([1]),
      source: base.source,
      tsMs: base.tsMs,
    }
    for (const format of formats) {
      const [t] = await decodeAll(consumed(truncate, format, registry), decoder)
      const [m] = await decodeAll(consumed(message, format, registry), decoder)
      assert.deepEqual([t?.kind, t?.kind === 'ignored' && t.op], ['ignored', 't'], format)
      assert.deepEqual([m?.kind, m?.kind === 'ignored' && m.op], ['ignored', 'm'], format)
    }
  })

  it('rejects what is not a change event, naming the record', async () => {
    const decoder = new ChangeInputDecoder()
    const record = (value: string | Uint8Array) => ({
      topic: 't',
      partition: 2,
      offset: 9n,
      key: null,
      value: typeof value === 'string' ? Buffer.from(value) : value,
    })
    const rejects = async (value: string | Uint8Array, pattern: RegExp) => {
      await assert.rejects(
        decoder.decode(record(value)),
        (error) =>
          invalid(error) &&
          pattern.test((error as Error).message) &&
          /t\/2@9/.test((error as Error).message),
      )
    }
    await rejects('not json', /neither Confluent-framed Avro nor JSON/)
    await rejects('[1,2]', /not a change event envelope/)
    await rejects('{"op":"x","source":{}}', /op "x"/)
    await rejects(
      '{"op":"c","after":null,"source":{"connector":"postgresql","ts_ms":1}}',
      /without its after row/,
    )
    await rejects('{"op":"c","after":{"id":1}}', /no source block/)
    await rejects(new Uint8Array([0, 0, 0, 0, 7, 2]), /no schema registry/)
  })

  it('passes registry failures through and asks again for the next record', async () => {
    const registry = new FakeRegistry()
    const records = consumed(pgEvent(customersTable, 'c', null, alice, at), 'avro', registry)
    const texts = [...registry.texts]
    registry.texts.length = 0
    const decoder = new ChangeInputDecoder({ schemaById: registry.schemaById })
    const [first] = records
    assert.ok(first !== undefined)
    await assert.rejects(decoder.decode(first), /no schema/)
    registry.texts.push(...texts)
    assert.equal((await decoder.decode(first)).kind, 'change')
  })

  it('reads a decimal written as a number (decimal.format=NUMERIC), exponent included', async () => {
    const schema = connectJsonSchemaText(valueSchemaFor(customersTable))
    const envelope = (creditText: string) =>
      `{"schema":{"type":"struct","name":"e","optional":false,"fields":[{"field":"after","type":"struct","optional":true,"name":"v","fields":${JSON.stringify((JSON.parse(schema) as { fields: unknown }).fields)}},{"field":"op","type":"string","optional":false},{"field":"source","type":"struct","name":"s","optional":false,"fields":[{"field":"connector","type":"string","optional":false},{"field":"ts_ms","type":"int64","optional":false}]}]},"payload":{"after":{"id":1,"name":null,"credit":${creditText}},"op":"c","source":{"connector":"other","ts_ms":5}}}`
    const decoder = new ChangeInputDecoder()
    const read = async (text: string) =>
      change(
        await decoder.decode({
          topic: 't',
          partition: 0,
          offset: 3n,
          key: null,
          value: Buffer.from(text),
        }),
      )
    assert.deepEqual((await read(envelope('12.5'))).after?.credit, new Decimal(1250n, 2))
    assert.deepEqual((await read(envelope('1.25E+3'))).after?.credit, new Decimal(125000n, 2))
    assert.deepEqual((await read(envelope('12.5'))).pos, {
      kind: 'kafka',
      parts: [5n, 3n],
      txn: null,
    })
    await assert.rejects(read(envelope('0.001')), invalid)
  })
})
