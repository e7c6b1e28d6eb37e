import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isCdcError } from '../../../common/errors.ts'
import { avroCodecFor } from '../../../envelope/avro-codec.ts'
import { Decimal } from '../../../envelope/connect-schema.ts'
import type { JoinInput } from '../../../enrichment/change-input.ts'
import { ChangeInputDecoder } from '../../../enrichment/change-input.ts'
import { JoinCore } from '../../../enrichment/join-core.ts'
import type { EnrichedRecord, JoinOutput } from '../../../enrichment/join-output.ts'
import { MemoryTableStore } from '../../../enrichment/memory-table-store.ts'
import { outputJson, outputPayload, outputValueSchema } from '../../../enrichment/output-record.ts'
import { defaults } from './join-harness.ts'
import type { Format } from './record-fixtures.ts'
import { FakeRegistry, consumed, customersTable, ordersTable, pgEvent } from './record-fixtures.ts'

const big = 2n ** 63n - 1n
const foreignKey = ['customer_id']

/** A customer and two orders (one of them its own delete) through decoder and core. */
async function run(format: Format): Promise<JoinOutput[]> {
  const registry = new FakeRegistry()
  const decoder = new ChangeInputDecoder({ schemaById: registry.schemaById })
  const decode = async (records: ReturnType<typeof consumed>) => {
    const inputs: JoinInput[] = []
    for (const record of records) inputs.push(await decoder.decode(record))
    return inputs
  }
  const core = new JoinCore({
    settings: { ...defaults, foreignKey },
    store: new MemoryTableStore(),
    tableEndOffsets: new Map([[0, 0n]]),
  })
  const customer = { id: big, name: 'Ann', credit: new Decimal(12345n, 2) }
  const table = await decode(
    consumed(
      pgEvent(customersTable, 'c', null, customer, { lastCommit: 10n, lsn: 11n }),
      format,
      registry,
    ),
  )
  core.applyTable({ partition: 0, inputs: table }, 0)
  const order = { id: 7n, customer_id: big, note: 'n' }
  const moved = { id: 7n, customer_id: 3n, note: 'n' }
  const stream = await decode([
    ...consumed(
      pgEvent(ordersTable, 'c', null, order, { lastCommit: 20n, lsn: 21n }),
      format,
      registry,
      0n,
    ),
    ...consumed(
      pgEvent(ordersTable, 'u', order, moved, { lastCommit: 30n, lsn: 31n }),
      format,
      registry,
      1n,
    ),
    ...consumed(
      pgEvent(ordersTable, 'd', moved, null, { lastCommit: 40n, lsn: 41n }),
      format,
      registry,
      2n,
    ),
  ])
  core.acceptStream({ partition: 0, inputs: stream }, 0)
  return core.tick(1000)
}

function record(outputs: readonly JoinOutput[], index: number): EnrichedRecord {
  const output = outputs[index]
  assert.equal(output?.kind, 'record')
  return output
}

describe('enrichment/output-record', () => {
  it('writes a plain JSON document with exact int64 and decimals, leaving out an unchanged previousKey', async () => {
    const outputs = await run('json-schema')
    const first = outputJson(record(outputs, 0))
    const text = first.value?.toString('utf8') ?? ''
    assert.match(text, /"customer_id":9223372036854775807/)
    assert.match(text, /"credit":123\.45/)
    assert.doesNotMatch(text, /previousKey/)
    assert.match(text, /^\{"op":"c","stream":\{"before":null,"after":\{"id":7,/)
    assert.match(
      text,
      /"tableRef":\{"key":\{"customer_id":9223372036854775807\},"pos":"postgres\/10\.11","status":"found","synced":true\}/,
    )
    assert.match(
      text,
      /"source":\{"pos":"postgres\/20\.21","topic":"srv\.public\.orders","partition":0,"offset":0\},"eventId":"[0-9a-f]{32}"\}$/,
    )
    const second = outputJson(record(outputs, 1)).value?.toString('utf8') ?? ''
    assert.match(
      second,
      /"status":"absent","synced":true,"previousKey":\{"customer_id":9223372036854775807\}/,
    )
  })

  it('keeps the stream key bytes and passes tombstones with a null value', async () => {
    const outputs = await run('avro')
    const tombstone = outputs.at(-1)
    assert.equal(tombstone?.kind, 'tombstone')
    const bytes = outputJson(tombstone)
    assert.equal(bytes.value, null)
    assert.deepEqual(bytes.key, tombstone.key)
    assert.equal(outputJson(record(outputs, 0)).key, record(outputs, 0).key)
  })

  for (const format of ['avro', 'json-schema'] as const) {
    it(`builds an Avro payload from ${format} inputs that encodes and reads back`, async () => {
      const outputs = await run(format)
      for (const index of [0, 1, 2]) {
        const payload = outputPayload('enriched-orders.v1', record(outputs, index), foreignKey)
        const codec = avroCodecFor(payload.schema)
        assert.deepEqual(codec.decode(codec.encode(payload.value)), payload.value)
      }
      const schema = outputValueSchema('enriched-orders.v1', record(outputs, 0), foreignKey)
      assert.equal(schema.name, 'enriched_orders.v1.Value')
      assert.equal(outputValueSchema('enriched-orders.v1', record(outputs, 2), foreignKey), schema)
      assert.deepEqual(
        schema.fields.map((field) => field.name),
        ['op', 'stream', 'table', 'tableRef', 'source', 'eventId'],
      )
    })
  }

  it('refuses Avro output when an input is JSON without schemas', async () => {
    const outputs = await run('json-plain')
    assert.throws(
      () => outputPayload('enriched', record(outputs, 0), foreignKey),
      (error) =>
        isCdcError(error) &&
        error.code === 'CDC_ENRICH_SCHEMA_UNKNOWN' &&
        /output\.format=json/.test(error.message),
    )
    assert.match(
      outputJson(record(outputs, 0)).value?.toString() ?? '',
      /"customer_id":9223372036854775807/,
    )
  })
})
