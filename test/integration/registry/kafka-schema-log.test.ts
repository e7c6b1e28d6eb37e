// The embedded registry over the service's own Kafka log (kafka/kafka-schema-log.ts).
import { after } from 'node:test'
import { KafkaClient } from '../../../kafka/kafka-client.ts'
import { KafkaSchemaLog } from '../../../kafka/kafka-schema-log.ts'
import { testEnv } from '../../helpers/env.ts'
import { describeSchemaLogContract } from './schema-log-contract.ts'

const kafka = new KafkaClient({ brokers: testEnv.kafkaBrokers, clientId: 'registry-contract' })
after(() => kafka.close())

describeSchemaLogContract('KafkaSchemaLog', {
  open: (topic) => new KafkaSchemaLog(kafka, topic, 1),
  remove: (topic) => kafka.admin.deleteTopics([topic]),
})
