import { hostname } from 'node:os'
import { CdcError } from '../common/errors.ts'

/** The service's own settings, from the environment (the README lists each one). */
export interface ServiceSettings {
  httpHost: string
  httpPort: number
  kafkaBrokers: string[]
  /** An external Confluent-compatible registry; undefined runs the embedded one. */
  schemaRegistryUrl: string | undefined
  registryHost: string
  registryPort: number
  topics: { configs: string; status: string; offsets: string; schemas: string; slots: string }
  groupId: string
  replicationFactor: number
  apiToken: string | undefined
  workerId: string
  logLevel: string
  shutdownTimeoutMs: number
  /** How long a dead instance keeps its connectors before the group moves them. */
  sessionTimeoutMs: number
}

export function settingsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ServiceSettings {
  const problems: string[] = []
  const text = (name: string, fallback: string): string => {
    const value = env[name]
    return value === undefined || value.trim() === '' ? fallback : value.trim()
  }
  const port = (name: string, fallback: number): number => {
    const raw = text(name, String(fallback))
    const value = Number(raw)
    if (!Number.isInteger(value) || value < 0 || value > 65535) {
      problems.push(`${name}=${raw} is not a TCP port (0-65535)`)
      return fallback
    }
    return value
  }
  const positive = (name: string, fallback: number): number => {
    const raw = text(name, String(fallback))
    const value = Number(raw)
    if (!Number.isInteger(value) || value < 1) {
      problems.push(`${name}=${raw} must be a whole number of at least 1`)
      return fallback
    }
    return value
  }
  const httpHost = text('CDC_HTTP_HOST', '127.0.0.1')
  const httpPort = port('CDC_HTTP_PORT', 8083)
  const brokers = text('KAFKA_BOOTSTRAP_SERVERS', '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '')
  for (const broker of brokers) {
    if (!/^[^:\s]+:\d+$/.test(broker))
      problems.push(`KAFKA_BOOTSTRAP_SERVERS entry ${broker} is not host:port`)
  }
  const registryUrl = env.SCHEMA_REGISTRY_URL?.trim()
  if (registryUrl !== undefined && registryUrl !== '' && !/^https?:\/\/\S+$/.test(registryUrl)) {
    problems.push(`SCHEMA_REGISTRY_URL=${registryUrl} is not an http(s) URL`)
  }
  const settings: ServiceSettings = {
    httpHost,
    httpPort,
    kafkaBrokers: brokers,
    schemaRegistryUrl: registryUrl === '' ? undefined : registryUrl,
    registryHost: text('CDC_REGISTRY_HOST', '127.0.0.1'),
    registryPort: port('CDC_REGISTRY_PORT', 8081),
    topics: {
      configs: text('CDC_CONFIG_TOPIC', '_cdc_configs'),
      status: text('CDC_STATUS_TOPIC', '_cdc_status'),
      offsets: text('CDC_OFFSETS_TOPIC', '_cdc_offsets'),
      schemas: text('CDC_SCHEMAS_TOPIC', '_schemas'),
      slots: text('CDC_SLOTS_TOPIC', '_cdc_slots'),
    },
    groupId: text('CDC_GROUP_ID', 'cdc-service'),
    replicationFactor: positive('CDC_REPLICATION_FACTOR', 1),
    apiToken: env.CDC_API_TOKEN === '' ? undefined : env.CDC_API_TOKEN,
    workerId: text('CDC_WORKER_ID', `${hostname()}:${httpPort}`),
    logLevel: text('CDC_LOG_LEVEL', 'info'),
    shutdownTimeoutMs: positive('CDC_SHUTDOWN_TIMEOUT_MS', 9_000),
    sessionTimeoutMs: positive('CDC_SESSION_TIMEOUT_MS', 10_000),
  }
  if (brokers.length === 0) problems.push('KAFKA_BOOTSTRAP_SERVERS is empty')
  if (problems.length > 0) {
    throw new CdcError('CDC_CONFIG_INVALID', `invalid service settings: ${problems.join('; ')}`)
  }
  return settings
}
