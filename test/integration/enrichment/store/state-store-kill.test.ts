import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { MemoryTableStore } from '../../../../enrichment/memory-table-store.ts'
import { LmdbStateStore } from '../../../../enrichment/state-store.ts'
import { batchCount, batchSize, killBatch } from './kill-batches.ts'

// joins.md §6.5 property 6: after a SIGKILL at any point of applying batches, the reopened
// store equals the state after some prefix of the batches, and its offsets match that prefix.

const child = fileURLToPath(new URL('kill-child.ts', import.meta.url))
const root = mkdtempSync(join(tmpdir(), 'cdc-join-kill-'))
after(() => {
  rmSync(root, { recursive: true, force: true })
})

/**
 * Starts the child and SIGKILLs it as soon as it reports `trigger` (`begin n`: while batch n
 * is being applied; `applied n`: between batches). Resolves the last reported commit.
 */
function runAndKill(path: string, trigger: string, selfKillAt?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = selfKillAt === undefined ? [child, path] : [child, path, String(selfKillAt)]
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let reported = -1
    let stderr = ''
    let buffered = ''
    proc.stdout.setEncoding('utf8')
    proc.stdout.on('data', (chunk: string) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (line.startsWith('applied ')) reported = Number(line.slice('applied '.length))
        if (line === trigger && !proc.killed) proc.kill('SIGKILL')
      }
    })
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    proc.on('error', reject)
    proc.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended with ${code ?? signal}: ${stderr}`))
      else resolve(reported)
    })
  })
}

function expectedAfter(count: number): MemoryTableStore {
  const store = new MemoryTableStore()
  for (let index = 0; index < count; index++) store.apply(killBatch(index))
  return store
}

describe('enrichment/state-store under SIGKILL', () => {
  const check = async (path: string, reported: number) => {
    const store = LmdbStateStore.open({ path, tableTopic: 'customers' })
    try {
      const [partition] = store.partitions()
      const offset = partition?.nextOffset ?? 0n
      assert.equal(offset % BigInt(batchSize), 0n, `offset ${offset} is not at a batch boundary`)
      const applied = Number(offset / BigInt(batchSize))
      // Every reported commit survived (later ones may have too: stdout lags the child).
      assert.ok(
        applied >= reported + 1 && applied <= batchCount,
        `applied ${applied}, reported ${reported}`,
      )
      const expected = expectedAfter(applied)
      assert.deepEqual(store.dump(), expected.dump())
      assert.deepEqual(store.partitions(), expected.partitions())
    } finally {
      await store.close()
    }
  }

  it('reopens as a prefix of the batches when killed from outside at any point', async () => {
    // Kill points spread over the run, most of them while a batch is being written.
    const triggers = [
      'begin 0',
      'begin 1',
      'applied 2',
      'begin 5',
      'begin 9',
      'applied 14',
      'begin 20',
      'begin 28',
      'begin 37',
    ]
    for (const trigger of triggers) {
      const path = join(root, trigger.replace(' ', '-'))
      await check(path, await runAndKill(path, trigger))
    }
  })

  it('drops the whole batch when killed inside its write transaction', async () => {
    for (const batch of [0, 4, 17]) {
      const path = join(root, `inside-${batch}`)
      const reported = await runAndKill(path, 'never', batch)
      assert.equal(reported, batch - 1)
      await check(path, reported)
    }
  })
})
