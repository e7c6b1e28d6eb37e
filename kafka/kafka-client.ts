import { KafkaAdmin } from './kafka-admin.ts'
import { KafkaProducer } from './kafka-producer.ts'
import type { KafkaSettings } from './kafka-settings.ts'
import { TopicReader } from './topic-reader.ts'

/**
 * The one entry point to Kafka for the rest of the service: it hands out the admin,
 * producers and topic readers, all speaking the project's own types.
 */
export class KafkaClient {
  readonly settings: KafkaSettings
  readonly admin: KafkaAdmin

  constructor(settings: KafkaSettings) {
    this.settings = settings
    this.admin = new KafkaAdmin(settings)
  }

  producer(options: { transactionalId?: string } = {}): KafkaProducer {
    return new KafkaProducer(this.settings, options)
  }

  reader(topic: string): TopicReader {
    return new TopicReader(this.settings, this.admin, topic)
  }

  async close(): Promise<void> {
    await this.admin.close()
  }
}
