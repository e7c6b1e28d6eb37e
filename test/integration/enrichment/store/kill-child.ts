import { writeSync } from 'node:fs'
import { LmdbStateStore } from '../../../../enrichment/state-store.ts'
import type { TablePartitionState } from '../../../../enrichment/table-store.ts'
import { batchCount, killBatch } from './kill-batches.ts'

/**
 * Applies every kill batch to the store in argv[2], reporting each batch on stdout, until
 * the parent SIGKILLs it. With argv[3] = n it SIGKILLs itself while applying batch n, from
 * inside the store's write: the batch's partitions are read only once its versions are
 * written, so that is where the kill lands.
 */
const path = process.argv[2]
const selfKillAt = process.argv[3] === undefined ? -1 : Number(process.argv[3])
if (path === undefined) throw new Error('usage: kill-child.ts <state dir> [batch to die in]')

function dyingPartitions(
  partitions: readonly TablePartitionState[],
): readonly TablePartitionState[] {
  return {
    length: partitions.length,
    *[Symbol.iterator]() {
      process.kill(process.pid, 'SIGKILL')
      yield* partitions
    },
  } as unknown as readonly TablePartitionState[]
}

const store = LmdbStateStore.open({ path, tableTopic: 'customers' })
for (let index = 0; index < batchCount; index++) {
  const batch = killBatch(index)
  // Written synchronously, so the parent may kill while this batch is being applied.
  writeSync(1, `begin ${index}\n`)
  store.apply(
    index === selfKillAt ? { ...batch, partitions: dyingPartitions(batch.partitions) } : batch,
  )
  writeSync(1, `applied ${index}\n`)
}
await store.close()
