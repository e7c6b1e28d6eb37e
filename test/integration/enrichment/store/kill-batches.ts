import type { TableBatchWrite } from '../../../../enrichment/table-store.ts'

/**
 * The batches the kill test applies, the same in the child that is killed and in the test
 * that checks what survived: batch i holds `batchSize` versions at transaction i + 1 and
 * moves partition 0 to offset (i + 1) * batchSize.
 */
export const batchSize = 1500
export const batchCount = 40

export function killBatch(index: number): TableBatchWrite {
  const commit = BigInt(index + 1)
  const versions = Array.from({ length: batchSize }, (_, lsn) => {
    const id = (index * 131 + lsn * 7) % 997
    return {
      key: `[${id}]`,
      pos: { kind: 'postgres', parts: [commit, BigInt(lsn)], txn: `c${commit}` },
      fromTombstone: false,
      tsMs: 1_700_000_000_000n + commit,
      row:
        lsn % 13 === 0
          ? null
          : { id: BigInt(id), name: `batch ${index} row ${lsn}`, pad: 'x'.repeat(200) },
    }
  })
  const last = versions.at(-1)?.pos ?? null
  return {
    versions,
    partitions: [{ partition: 0, nextOffset: BigInt((index + 1) * batchSize), appliedPos: last }],
    rowSchema: null,
  }
}
