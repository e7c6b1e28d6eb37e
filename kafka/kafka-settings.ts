/** How the service reaches Kafka. */
export interface KafkaSettings {
  brokers: readonly string[]
  clientId: string
  /** Per-request timeout. */
  requestTimeoutMs?: number
  /**
   * Delay between retries of a failed request. Short by default: right after a
   * transaction commits, the broker answers CONCURRENT_TRANSACTIONS to the next
   * transaction's first write until its markers are written (a few ms), and a long
   * backoff there turns hundreds of transactions per second into a handful.
   */
  retryDelayMs?: number
  retries?: number
}

export function clientOptions(settings: KafkaSettings, suffix: string) {
  return {
    clientId: `${settings.clientId}-${suffix}`,
    bootstrapBrokers: [...settings.brokers],
    timeout: settings.requestTimeoutMs ?? 30_000,
    retries: settings.retries ?? 20,
    retryDelay: settings.retryDelayMs ?? 10,
  }
}
