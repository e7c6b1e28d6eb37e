import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import {
  createEmbeddedRegistry,
  type EmbeddedRegistry,
} from '../../../registry/embedded/embedded-registry.ts'
import type { SchemaLog } from '../../../registry/embedded/schema-log.ts'
import { uniqueName } from '../../helpers/names.ts'
import { schema, snapshot } from '../../unit/registry/embedded/store-helpers.ts'

/**
 * What any SchemaLog must do for the embedded registry, run against a real backing store.
 * kafkajs-schema-log.test.ts runs it with the test-only kafkajs log; the service's Kafka
 * log plugs in the same way:
 *
 *   describeSchemaLogContract('KafkaSchemaLog', {
 *     open: (topic) => new KafkaSchemaLog(kafkaClient, topic, 1),
 *     remove: (topic) => admin.deleteTopics([topic]),
 *   })
 */
export interface SchemaLogFactory {
  /**
   * A log over `topic`, creating the topic when it is missing. Every call is a separate
   * instance (its own producer and reader), as in a second process.
   */
  open(topic: string): SchemaLog | Promise<SchemaLog>
  /** Deletes a topic the tests made. */
  remove(topic: string): Promise<void>
}

export function describeSchemaLogContract(name: string, factory: SchemaLogFactory): void {
  describe(`SchemaLog contract: ${name}`, () => {
    const topics: string[] = []
    const open: EmbeddedRegistry[] = []
    const freshTopic = () => {
      const topic = uniqueName('schemas')
      topics.push(topic)
      return topic
    }
    const registryOn = async (topic: string) => {
      const registry = createEmbeddedRegistry({ log: await factory.open(topic) })
      open.push(registry)
      return registry
    }
    after(async () => {
      for (const registry of open) await registry.close().catch(() => undefined)
      for (const topic of topics) await factory.remove(topic).catch(() => undefined)
    })

    it('returns appended entries in order, tombstones included, each once, and all of them to a new reader', async () => {
      const topic = freshTopic()
      const log = await factory.open(topic)
      const other = await factory.open(topic)
      try {
        assert.deepEqual(await log.readNew(), [])
        await log.append('{"k":1}', '{"v":1}')
        await log.append('{"k":2}', null)
        assert.deepEqual(await log.readNew(), [
          { key: '{"k":1}', value: '{"v":1}' },
          { key: '{"k":2}', value: null },
        ])
        await other.append('{"k":3}', '{"v":3}')
        assert.deepEqual(await log.readNew(), [{ key: '{"k":3}', value: '{"v":3}' }])
        assert.deepEqual(await log.readNew(), [])
        assert.equal((await other.readNew()).length, 3)
      } finally {
        await log.close()
        await other.close()
      }
    })

    it('rebuilds the registry on restart: same subjects, versions, ids and configs', async () => {
      const topic = freshTopic()
      const first = await registryOn(topic)
      await first.store.setSubjectLevel('orders-value', 'NONE')
      await first.store.register('orders-value', schema('a:int'))
      await first.store.register('orders-value', schema('b:int'))
      await first.store.register('customers-value', schema('a:int'))
      await first.store.deleteVersion('orders-value', '1', false)
      await first.store.register('gone-value', schema('g:long'))
      await first.store.deleteSubject('gone-value', false)
      await first.store.deleteSubject('gone-value', true)
      await first.store.setGlobalLevel('FULL')
      const before = await snapshot(first.store)
      await first.close()

      const restarted = await registryOn(topic)
      assert.deepEqual(await snapshot(restarted.store), before)
      assert.deepEqual(
        await restarted.store.register('new-value', schema('n:int')),
        { id: 4 },
        'ids continue after the highest',
      )
    })

    it('keeps two instances on one log in agreement, never giving one id to two schemas', async () => {
      const topic = freshTopic()
      const a = await registryOn(topic)
      const b = await registryOn(topic)
      await a.store.setGlobalLevel('NONE')
      // Both instances register at once, into the same and into different subjects.
      const requests = Array.from({ length: 16 }, (_, i) => ({
        registry: i % 2 === 0 ? a : b,
        subject: `s${i % 3}`,
        text: schema(`f${i % 6}:int`).schema,
      }))
      const ids = await Promise.all(
        requests.map((r) => r.registry.store.register(r.subject, { schema: r.text })),
      )
      const schemaOfId = new Map<number, string>()
      requests.forEach((request, index) => {
        const id = ids[index]?.id ?? -1
        const known = schemaOfId.get(id)
        assert.ok(
          known === undefined || known === request.text,
          `id ${id} was given to two different schemas`,
        )
        schemaOfId.set(id, request.text)
      })
      assert.equal(new Set(ids.map((answer) => answer.id)).size, 6, 'one id per distinct schema')
      for (const [id, text] of schemaOfId) {
        assert.equal((await a.store.schemaById(id)).schema, text)
        assert.equal((await b.store.schemaById(id)).schema, text)
      }
      assert.deepEqual(await snapshot(b.store), await snapshot(a.store))
    })
  })
}
