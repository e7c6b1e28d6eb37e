// Exits 0 once the broker answers a metadata request, 1 when it has not by the deadline.
// A listening port is not enough: the broker accepts connections before the controller
// has elected itself and before it can serve metadata.
import { Kafka, logLevel } from 'kafkajs'

const broker = process.argv[2] ?? '127.0.0.1:9092'
const deadline = Date.now() + Number(process.argv[3] ?? '60') * 1000

const kafka = new Kafka({
  clientId: 'cdc-services-ready',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  retry: { retries: 0 },
  connectionTimeout: 1000,
})

let lastError = 'no attempt'
while (Date.now() < deadline) {
  const admin = kafka.admin()
  try {
    await admin.connect()
    const cluster = await admin.describeCluster()
    await admin.fetchTopicMetadata({ topics: [] })
    await admin.disconnect()
    process.stdout.write(`cluster ${cluster.clusterId}, controller ${String(cluster.controller)}\n`)
    process.exit(0)
  } catch (error) {
    lastError = error instanceof Error ? error.message : String(error)
    await admin.disconnect().catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}
process.stderr.write(`Kafka at ${broker} did not answer a metadata request: ${lastError}\n`)
process.exit(1)
