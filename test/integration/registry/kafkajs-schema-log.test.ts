// The embedded registry over a real compacted Kafka topic, through the test-only kafkajs log.
import { KafkajsSchemaLog } from './kafkajs-schema-log.ts'
import { describeSchemaLogContract } from './schema-log-contract.ts'

describeSchemaLogContract('kafkajs test log', {
  open: (topic) => KafkajsSchemaLog.open(topic),
  remove: (topic) => KafkajsSchemaLog.remove(topic),
})
