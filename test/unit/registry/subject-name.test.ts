import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { recordSubject, topicRecordSubject, topicSubject } from '../../../registry/subject-name.ts'

describe('registry/subject-name', () => {
  it('names subjects as the Confluent strategies do', () => {
    assert.equal(topicSubject('shop.public.orders', 'key'), 'shop.public.orders-key')
    assert.equal(topicSubject('shop.public.orders', 'value'), 'shop.public.orders-value')
    assert.equal(recordSubject('shop.public.orders.Value'), 'shop.public.orders.Value')
    assert.equal(topicRecordSubject('events', 'a.b.Created'), 'events-a.b.Created')
  })
})
