import { writeSync } from 'node:fs'
import type { JoinConfig } from '../../../enrichment/join-config.ts'
import { JoinWorker } from '../../../enrichment/join-worker.ts'
import { testEnv } from '../../helpers/env.ts'

/**
 * Runs the join worker for the config in argv[2] (JSON) until SIGTERM or SIGKILL; writes
 * `phase <name>`, `seen <count>` and `committed <outputs>` lines to stdout so the parent can time its kills.
 */
const text = process.argv[2]
if (text === undefined) throw new Error('usage: join-child.ts <join config as JSON>')
const config = JSON.parse(text) as JoinConfig
const controller = new AbortController()
process.on('SIGTERM', () => {
  controller.abort()
})
const worker = new JoinWorker({
  config,
  kafka: { brokers: testEnv.kafkaBrokers, clientId: `join-child-${process.pid}` },
  sessionTimeoutMs: 6000,
  // Many small transactions, so that kills land between and inside them.
  maxPendingOutputs: 50,
  onCommit: (outputs) => writeSync(1, `committed ${outputs}\n`),
  monitor: {
    phase: (phase) => writeSync(1, `phase ${phase}\n`),
    eventsSeen: (count) => writeSync(1, `seen ${count}\n`),
  },
})
await worker.run(controller.signal)
