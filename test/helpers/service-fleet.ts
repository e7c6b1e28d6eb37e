// The service processes a test file starts and the topics it creates, cleaned up together.
import { KafkaClient } from '../../kafka/kafka-client.ts'
import { testEnv } from './env.ts'
import { cdcBin, startServiceProcess, type ServiceProcess } from './service-process.ts'

export class ServiceFleet {
  readonly kafka: KafkaClient
  /** Topics to delete at the end; tests push what they create. */
  readonly topics: string[] = []
  readonly #running = new Set<ServiceProcess>()

  constructor(clientId: string) {
    this.kafka = new KafkaClient({ brokers: testEnv.kafkaBrokers, clientId })
  }

  /** Starts `bin/cdc.ts` (or `entry`) with `env`; it is killed at `close` if still running. */
  async start(env: Record<string, string>, entry = cdcBin): Promise<ServiceProcess> {
    const service = await startServiceProcess(entry, env)
    this.#running.add(service)
    void service.exited.then(() => this.#running.delete(service))
    return service
  }

  /** SIGKILLs every running service and waits for each to be gone. */
  async killAll(): Promise<void> {
    for (const service of this.#running) {
      service.kill('SIGKILL')
      await service.exited
    }
  }

  async close(): Promise<void> {
    await this.killAll()
    await this.kafka.admin.deleteTopics(this.topics).catch(() => undefined)
    await this.kafka.close()
  }
}
