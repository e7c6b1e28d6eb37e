// Exactly-once under crashes (joins.md §6.4 S6a, S7a-c): the join process is SIGKILLed at
// random points of a few-thousand-change workload and restarted, its state directory
// deleted before every other restart. The read_committed output must hold exactly one
// output per order change, equal to a crash-free run's.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { Kafka, logLevel } from 'kafkajs'
import type { RowChangeEvent } from '../../../envelope/change-event.ts'
import type { JoinConfig } from '../../../enrichment/join-config.ts'
import { defaultJoinGroupId, JoinWorker } from '../../../enrichment/join-worker.ts'
import { KafkaAdmin } from '../../../kafka/kafka-admin.ts'
import { KafkaProducer } from '../../../kafka/kafka-producer.ts'
import type { KafkaSettings } from '../../../kafka/kafka-settings.ts'
import { testEnv } from '../../helpers/env.ts'
import type { ReadRecord } from '../../helpers/kafka-read.ts'
import { readUntil } from '../../helpers/kafka-read.ts'
import type { JoinTopics } from './join-fixtures.ts'
import {
  change,
  customerRow,
  customersOf,
  joinConfig,
  joinTopics,
  orderRow,
  ordersOf,
  writeEvents,
} from './join-fixtures.ts'

const settings: KafkaSettings = { brokers: testEnv.kafkaBrokers, clientId: 'test-join-kill' }
const child = fileURLToPath(new URL('./join-child.ts', import.meta.url))
const chunks = 4
const ordersPerChunk = 750

/** A deterministic workload: per chunk, customer changes first, then order changes. */
function workload(topics: JoinTopics): RowChangeEvent[][] {
  const customers = customersOf(topics)
  const orders = ordersOf(topics)
  let seed = 12345
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed % n
  }
  let pos = 100
  const names = new Map<number, string>()
  const fks = new Map<number, number>()
  const result: RowChangeEvent[][] = []
  for (let chunk = 0; chunk < chunks; chunk++) {
    const events: RowChangeEvent[] = []
    for (let i = 0; i < (chunk === 0 ? 100 : 40); i++) {
      const id = chunk === 0 ? i + 1 : 1 + random(110)
      const old = names.get(id)
      const name = `c${id}-${chunk}-${i}`
      if (old === undefined) {
        events.push(change(customers, 'c', null, customerRow(id, name), pos++))
        names.set(id, name)
      } else if (random(8) === 0) {
        events.push(change(customers, 'd', customerRow(id, old), null, pos++))
        names.delete(id)
      } else {
        events.push(change(customers, 'u', customerRow(id, old), customerRow(id, name), pos++))
        names.set(id, name)
      }
    }
    for (let i = 0; i < ordersPerChunk; i++) {
      const existing = fks.size > 0 && random(3) === 0 ? 1 + random(fks.size) : undefined
      const fk = 1 + random(120)
      if (existing === undefined) {
        const id = fks.size + 1
        events.push(change(orders, 'c', null, orderRow(id, fk), pos++))
        fks.set(id, fk)
      } else {
        const oldFk = fks.get(existing) ?? fk
        const note = `o${existing}-${chunk}-${i}`
        events.push(
          change(orders, 'u', orderRow(existing, oldFk), orderRow(existing, fk, note), pos++),
        )
        fks.set(existing, fk)
      }
    }
    result.push(events)
  }
  return result
}

/** Starts the child; SIGKILLs it once it has committed `killAfter` outputs (it goes on meanwhile). */
function runChild(
  config: JoinConfig,
  killAfter: number,
): { exited: Promise<'killed' | 'stopped'>; stop: () => void } {
  const proc = spawn(process.execPath, [child, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  let committed = 0
  let buffered = ''
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  proc.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      if (line.startsWith('committed ')) committed += Number(line.slice(10))
      if (committed >= killAfter && !proc.killed) proc.kill('SIGKILL')
    }
  })
  const exited = new Promise<'killed' | 'stopped'>((resolve, reject) => {
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed')
      // SIGTERM before the child installed its handler ends it as well.
      else if (code === 0 || signal === 'SIGTERM') resolve('stopped')
      else reject(new Error(`join child ended with ${code ?? signal}: ${stderr}`))
    })
  })
  return {
    exited,
    stop: () => {
      if (!proc.killed) proc.kill('SIGTERM')
    },
  }
}

function outputs(records: readonly ReadRecord[]): string[] {
  return records
    .map((record) => `${record.key?.toString() ?? ''} => ${record.value?.toString() ?? ''}`)
    .sort()
}

describe('join worker under SIGKILL', () => {
  const admin = new KafkaAdmin(settings)
  const topics = joinTopics('jk')
  const reference = { ...joinTopics('jkref'), customers: topics.customers, orders: topics.orders }
  const config = joinConfig(topics, { 'idle.grace.ms': '1000' })
  const referenceConfig = joinConfig(reference, { 'idle.grace.ms': '1000' })
  after(async () => {
    await admin
      .deleteTopics([topics.customers, topics.orders, topics.output, reference.output])
      .catch(() => undefined)
    await admin
      .deleteGroups([defaultJoinGroupId(config), defaultJoinGroupId(referenceConfig)])
      .catch(() => undefined)
    await admin.close()
    rmSync(topics.stateDir, { recursive: true, force: true })
    rmSync(reference.stateDir, { recursive: true, force: true })
  })

  it('writes exactly one output per order change, equal to a crash-free run', async (t) => {
    await admin.ensureTopic({ name: topics.customers, partitions: 2, replicationFactor: 1 })
    await admin.ensureTopic({ name: topics.orders, partitions: 3, replicationFactor: 1 })
    const producer = new KafkaProducer(settings)
    const total = chunks * ordersPerChunk
    try {
      const events = workload(topics)
      const killPoints: number[] = []
      for (let round = 0; round < chunks; round++) {
        await writeEvents(producer, events[round] ?? [])
        // The store is lost before every other restart (S7b); otherwise it is ahead (S7c).
        if (round % 2 === 1) rmSync(topics.stateDir, { recursive: true, force: true })
        // Each round has at least ordersPerChunk new orders, so the kill always lands.
        const killAfter = 1 + Math.floor(Math.random() * ordersPerChunk)
        killPoints.push(killAfter)
        const run = runChild(config, killAfter)
        // A child that saw everything before its kill point is stopped instead.
        const timer = setTimeout(run.stop, 15_000)
        try {
          assert.equal(await run.exited, 'killed', `round ${round} was not killed`)
        } finally {
          clearTimeout(timer)
        }
      }
      t.diagnostic(`killed after ${killPoints.join(', ')} committed outputs`)
      const last = runChild(config, Number.POSITIVE_INFINITY)
      try {
        await readUntil([topics.output], (records) => records.length >= total, 120_000)
      } finally {
        last.stop()
        await last.exited
      }

      const controller = new AbortController()
      const worker = new JoinWorker({
        config: referenceConfig,
        kafka: { ...settings, clientId: 'test-join-kill-ref' },
      })
      const running = worker.run(controller.signal)
      running.catch(() => undefined)
      let expected: ReadRecord[]
      try {
        expected = await readUntil(
          [reference.output],
          (records) => records.length >= total,
          120_000,
        )
      } finally {
        controller.abort()
        await running
      }
      // Everything before a sentinel in each partition, written after the last run
      // stopped: duplicates would show.
      const { partitions } = await admin.describeTopic(topics.output)
      const sentinels = new Kafka({
        brokers: [...testEnv.kafkaBrokers],
        logLevel: logLevel.NOTHING,
      })
      const plain = sentinels.producer()
      await plain.connect()
      await plain.send({
        topic: topics.output,
        messages: Array.from({ length: partitions }, (_, partition) => ({
          partition,
          value: 'sentinel',
        })),
      })
      await plain.disconnect()
      const isSentinel = (record: ReadRecord): boolean => record.value?.toString() === 'sentinel'
      const final = (
        await readUntil(
          [topics.output],
          (records) => records.filter(isSentinel).length === partitions,
        )
      ).filter((record) => !isSentinel(record))
      assert.equal(final.length, total, 'exactly one output per order change')
      assert.equal(expected.length, total)
      assert.deepEqual(outputs(final), outputs(expected))
    } finally {
      await producer.close()
    }
  })
})
