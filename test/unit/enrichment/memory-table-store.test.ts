import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MemoryTableStore } from '../../../enrichment/memory-table-store.ts'
import { tableStoreContract, version } from './table-store-contract.ts'

describe('enrichment/memory-table-store', () => {
  tableStoreContract(() => ({ store: new MemoryTableStore(), done: () => undefined }))

  it('dumps versions in key and position order', () => {
    const store = new MemoryTableStore()
    store.apply({
      versions: [version('[2]', 3, 'b'), version('[1]', 9, 'y'), version('[1]', 4, 'x')],
      partitions: [],
      rowSchema: null,
    })
    assert.deepEqual(
      store.dump().map((v) => v.row?.name),
      ['x', 'y', 'b'],
    )
  })
})
