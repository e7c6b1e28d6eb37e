import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { StructSchema } from '../../../envelope/connect-schema.ts'
import type { CommitPosition } from '../../../enrichment/commit-position.ts'
import type { TableStore, TableVersion } from '../../../enrichment/table-store.ts'

/** What every TableStore must do; run against the memory store and the LMDB store. */

const pos = (commit: number, lsn = 0): CommitPosition => ({
  kind: 'postgres',
  parts: [BigInt(commit), BigInt(lsn)],
  txn: `c${commit}`,
})

export function version(
  key: string,
  commit: number,
  name: string | null,
  tsMs = 0n,
  lsn = 0,
): TableVersion {
  return {
    key,
    pos: pos(commit, lsn),
    fromTombstone: false,
    tsMs,
    row: name === null ? null : { id: BigInt(key.slice(1, -1)), name },
  }
}

export const rowSchema: StructSchema = {
  type: 'struct',
  optional: true,
  name: 'srv.public.customers.Value',
  fields: [
    { name: 'id', schema: { type: 'int64', optional: false } },
    { name: 'name', schema: { type: 'string', optional: true } },
  ],
}

export function tableStoreContract(
  open: () => { store: TableStore; done: () => Promise<void> | undefined },
): void {
  const withStore = (body: (store: TableStore) => void) => async () => {
    const { store, done } = open()
    try {
      body(store)
    } finally {
      await done()
    }
  }

  it(
    'answers as-of lookups with the greatest visible version, same transaction included',
    withStore((store) => {
      store.apply({
        versions: [
          version('[1]', 5, 'A'),
          version('[1]', 12, 'B', 0n, 3),
          version('[1]', 20, null),
          version('[10]', 1, 'X'),
        ],
        partitions: [],
        rowSchema: null,
      })
      assert.equal(store.asOf('[1]', pos(4)), undefined)
      assert.equal(store.asOf('[1]', pos(10))?.row?.name, 'A')
      assert.equal(store.asOf('[1]', pos(12, 1))?.row?.name, 'B')
      assert.equal(store.asOf('[1]', pos(25))?.row, null)
      assert.equal(store.latest('[1]')?.row, null)
      assert.equal(store.latest('[10]')?.row?.name, 'X')
      assert.equal(store.latest('[2]'), undefined)
      assert.equal(store.has('[1]', pos(12, 3)), true)
      assert.equal(store.has('[1]', pos(12)), false)
    }),
  )

  it(
    'keeps a tombstone’s delete apart from the change at the same position',
    withStore((store) => {
      const change = version('[3]', 7, 'C')
      store.apply({
        versions: [change, { ...change, fromTombstone: true, row: null }],
        partitions: [],
        rowSchema: null,
      })
      assert.equal(store.latest('[3]')?.fromTombstone, true)
      assert.equal(store.has('[3]', pos(7)), true)
      assert.equal(store.asOf('[3]', pos(7))?.row, null)
    }),
  )

  it(
    'stores partition progress and the row schema with the versions',
    withStore((store) => {
      assert.deepEqual(store.partitions(), [])
      assert.equal(store.rowSchema(), null)
      store.apply({
        versions: [version('[1]', 5, 'A')],
        partitions: [
          { partition: 1, nextOffset: 9n, appliedPos: pos(5) },
          { partition: 0, nextOffset: 0n, appliedPos: null },
        ],
        rowSchema,
      })
      assert.deepEqual(store.partitions(), [
        { partition: 0, nextOffset: 0n, appliedPos: null },
        { partition: 1, nextOffset: 9n, appliedPos: pos(5) },
      ])
      assert.deepEqual(store.rowSchema(), rowSchema)
    }),
  )

  it(
    'prunes per key all but the newest version at or before the horizon (S12)',
    withStore((store) => {
      store.apply({
        versions: [
          version('[1]', 10, 'v1', 100n),
          version('[1]', 20, 'v2', 200n),
          version('[1]', 30, 'v3', 300n),
          version('[2]', 10, null, 50n),
          version('[3]', 40, 'new', 400n),
        ],
        partitions: [],
        rowSchema: null,
      })
      assert.equal(store.horizonMs(), null)
      assert.equal(store.prune(250n), 1)
      assert.equal(store.horizonMs(), 250n)
      assert.equal(store.asOf('[1]', pos(15)), undefined)
      assert.equal(store.asOf('[1]', pos(25))?.row?.name, 'v2')
      assert.equal(store.asOf('[2]', pos(99))?.row, null)
      assert.equal(store.asOf('[3]', pos(41))?.row?.name, 'new')
      assert.equal(store.prune(100n), 0)
      assert.equal(store.horizonMs(), 250n)
    }),
  )
}
