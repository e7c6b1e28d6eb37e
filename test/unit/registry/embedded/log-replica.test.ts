import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { configKey, configValue } from '../../../../registry/embedded/log-records.ts'
import { LogReplica } from '../../../../registry/embedded/log-replica.ts'
import { RegistryError } from '../../../../registry/embedded/registry-error.ts'
import { InMemorySchemaLog } from '../../../../registry/embedded/schema-log.ts'

const storeError = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof RegistryError)
  assert.equal(error.errorCode, 50001)
  assert.equal(error.code, 'CDC_REG_STORE_FAILED')
  assert.equal(error.retriable, true)
  assert.match(error.message, pattern)
  return true
}

describe('registry/embedded/log-replica', () => {
  it('reads the log to its end before each operation and runs operations one at a time', async () => {
    const log = new InMemorySchemaLog()
    const replica = new LogReplica(log)
    const order: string[] = []
    await log.append(configKey(null), configValue('FULL'))
    const first = replica.run(async () => {
      order.push('first starts')
      await replica.append(configKey(null), configValue('NONE'))
      order.push('first ends')
      return replica.state.globalLevel()
    })
    const second = replica.run(() => {
      order.push('second')
      return replica.state.globalLevel()
    })
    assert.deepEqual(await Promise.all([first, second]), ['FULL', 'NONE'])
    assert.deepEqual(order, ['first starts', 'first ends', 'second'])
  })

  it('answers 50001 while the log cannot be read, and serves again once it can', async () => {
    const log = new InMemorySchemaLog()
    const replica = new LogReplica(log)
    const readNew = log.readNew.bind(log)
    log.readNew = () => Promise.reject(new Error('broker gone'))
    await assert.rejects(
      replica.run(() => 1),
      storeError(/cannot read its schema log: broker gone/),
    )
    log.readNew = readNew
    assert.equal(await replica.run(() => 2), 2)
  })

  it('stops for good at an entry it cannot read', async () => {
    const replica = new LogReplica(
      new InMemorySchemaLog([{ key: '{"keytype":"SCHEMA"}', value: null }]),
    )
    await assert.rejects(
      replica.run(() => 1),
      storeError(/unreadable, so it serves nothing until restarted/),
    )
    await assert.rejects(
      replica.run(() => 1),
      storeError(/unreadable/),
    )
  })
})
