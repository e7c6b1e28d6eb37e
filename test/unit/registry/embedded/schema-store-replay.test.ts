import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CdcError } from '../../../../common/errors.ts'
import { schemaKey } from '../../../../registry/embedded/log-records.ts'
import { InMemorySchemaLog, type SchemaLogEntry } from '../../../../registry/embedded/schema-log.ts'
import { SchemaStore } from '../../../../registry/embedded/schema-store.ts'
import { rejectsWith, schema, snapshot } from './store-helpers.ts'

/** A log that lets the test slip another instance's write in just before this one's. */
class RacingLog extends InMemorySchemaLog {
  beforeNextAppend: (() => Promise<void>) | undefined

  override async append(key: string, value: string | null): Promise<void> {
    const race = this.beforeNextAppend
    this.beforeNextAppend = undefined
    if (race !== undefined) await race()
    await super.append(key, value)
  }
}

/** A history with every kind of entry: registrations, configs, soft and hard deletes. */
async function busyHistory(store: SchemaStore): Promise<void> {
  await store.setGlobalLevel('FULL')
  await store.setSubjectLevel('orders-value', 'NONE')
  await store.register('orders-value', schema('a:int'))
  await store.register('orders-value', schema('b:int'))
  await store.register('orders-value', schema('c:int'))
  await store.deleteVersion('orders-value', '2', false)
  await store.register('customers-value', schema('a:int'))
  await store.register('customers-value', schema('a:int', 'x:string:""'))
  await store.deleteSubject('customers-value', false)
  await store.register('customers-value', schema('a:int'))
  await store.register('gone-value', schema('g:int'))
  await store.deleteSubject('gone-value', false)
  await store.deleteSubject('gone-value', true)
  await store.setSubjectLevel('orders-value', 'BACKWARD')
  await store.deleteVersion('orders-value', '2', true)
  await store.register('orders-value', schema('c:int', 'd:int:0'))
}

describe('registry/embedded/schema-store: state is the replay of the log', () => {
  it('rebuilds the same subjects, versions, ids and configs from the log on restart', async () => {
    const log = new InMemorySchemaLog()
    const first = new SchemaStore(log)
    await busyHistory(first)
    const restarted = new SchemaStore(new InMemorySchemaLog(log.entries))
    assert.deepEqual(await snapshot(restarted), await snapshot(first))
    assert.deepEqual(
      await restarted.register('new-value', schema('z:int')),
      { id: 7 },
      'ids continue',
    )
  })

  it('rebuilds the same state from the compacted log', async () => {
    const log = new InMemorySchemaLog()
    const first = new SchemaStore(log)
    await busyHistory(first)
    const expected = await snapshot(first)
    const before = log.entries.length
    log.compact()
    assert.ok(log.entries.length < before, 'compaction dropped entries')
    assert.deepEqual(await snapshot(new SchemaStore(new InMemorySchemaLog(log.entries))), expected)
  })

  it('lets a second instance on the same log see and continue what the first wrote', async () => {
    const entries: SchemaLogEntry[] = []
    const a = new SchemaStore(new InMemorySchemaLog(entries))
    const b = new SchemaStore(new InMemorySchemaLog(entries))
    assert.deepEqual(await a.register('s', schema('a:int')), { id: 1 })
    assert.deepEqual(await b.register('t', schema('b:int')), { id: 2 })
    await b.setSubjectLevel('t', 'NONE')
    assert.deepEqual(
      await a.register('t', schema('a:int')),
      { id: 1 },
      'a knows t, its level and id 1',
    )
    assert.deepEqual(await b.register('t', schema('a:int')), { id: 1 }, 'b knows what a registered')
    assert.deepEqual(await b.versions('t', false), [1, 2])
    assert.deepEqual(await snapshot(a), await snapshot(b))
  })

  it('resolves two instances taking the same version: the first write wins, the loser repairs and retries', async () => {
    const entries: SchemaLogEntry[] = []
    const racing = new RacingLog(entries)
    const a = new SchemaStore(racing)
    const b = new SchemaStore(new InMemorySchemaLog(entries))
    await a.setSubjectLevel('s', 'NONE')
    await a.register('s', schema('a:int'))
    racing.beforeNextAppend = async () => {
      assert.deepEqual(await b.register('s', schema('b:int')), { id: 2 })
    }
    assert.deepEqual(await a.register('s', schema('c:int')), { id: 3 })
    const v2 = await a.version('s', '2', false)
    assert.equal(v2.id, 2, 'the version b reported first stays b’s')
    assert.equal((await a.version('s', '3', false)).id, 3)
    const lastForV2 = entries.filter((entry) => entry.key === schemaKey('s', 2)).at(-1)
    const last = JSON.parse(lastForV2?.value ?? 'null') as { schema?: string } | null
    assert.equal(last?.schema, schema('b:int').schema, 'the winner’s value is the key’s last one')
    assert.deepEqual(await snapshot(b), await snapshot(a))
    const compacted = new InMemorySchemaLog([...entries])
    compacted.compact()
    assert.deepEqual(await snapshot(new SchemaStore(compacted)), await snapshot(a))
  })

  it('never gives one id to two different schemas when two instances allocate at once', async () => {
    const entries: SchemaLogEntry[] = []
    const racing = new RacingLog(entries)
    const a = new SchemaStore(racing)
    const b = new SchemaStore(new InMemorySchemaLog(entries))
    await a.register('s', schema('a:int'))
    racing.beforeNextAppend = async () => {
      assert.deepEqual(await b.register('other', schema('b:int')), { id: 2 })
    }
    assert.deepEqual(await a.register('mine', schema('m:int')), { id: 3 })
    assert.equal((await b.schemaById(2)).schema, schema('b:int').schema)
    assert.equal((await b.schemaById(3)).schema, schema('m:int').schema)
    assert.deepEqual(await b.versions('mine', false), [1])
    const compacted = new InMemorySchemaLog([...entries])
    compacted.compact()
    assert.deepEqual(await snapshot(new SchemaStore(compacted)), await snapshot(a))
  })

  it('answers 50001 (retriable) when the log refuses a write, and works again once it accepts', async () => {
    const log = new InMemorySchemaLog()
    const store = new SchemaStore(log)
    const append = log.append.bind(log)
    log.append = () => Promise.reject(new Error('broker unavailable'))
    await assert.rejects(store.register('s', schema('a:int')), (error: unknown) => {
      assert.ok(error instanceof CdcError)
      assert.equal(error.code, 'CDC_REG_STORE_FAILED')
      assert.equal(error.retriable, true)
      assert.match(error.message, /cannot write to its schema log: broker unavailable/)
      return true
    })
    log.append = append
    assert.deepEqual(await store.register('s', schema('a:int')), { id: 1 })
  })

  it('stops serving, with 50001, once the log holds an entry it cannot read', async () => {
    const log = new InMemorySchemaLog()
    const store = new SchemaStore(log)
    await store.register('s', schema('a:int'))
    log.entries.push({ key: 'garbage', value: null })
    await rejectsWith(store.subjects(false), 50001, /schema log is unreadable.*key garbage/)
    await rejectsWith(store.schemaById(1), 50001)
  })
})
