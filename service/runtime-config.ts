import type { ConfigField, ConfigIssue, ConnectorConfig } from '../connectors/plugin.ts'
import { isRuntimeConfigKey } from '../connectors/runtime-config.ts'

export const avroConverter = 'io.confluent.connect.avro.AvroConverter'
export const jsonConverter = 'org.apache.kafka.connect.json.JsonConverter'
const converters = [avroConverter, jsonConverter]

/** The generic Kafka Connect settings the runtime applies to every connector. */
export const runtimeConfigDef: readonly ConfigField[] = [
  field('name', 'string', true, undefined, 'The connector name, unique in the service.'),
  field(
    'connector.class',
    'class',
    true,
    undefined,
    'The connector plugin: a class name or alias from GET /connector-plugins.',
  ),
  field(
    'tasks.max',
    'int',
    false,
    '1',
    'Accepted for compatibility; a connector runs as one task.',
  ),
  field('key.converter', 'class', false, avroConverter, 'Format of record keys.', converters),
  field('value.converter', 'class', false, avroConverter, 'Format of record values.', converters),
  field(
    'key.converter.schemas.enable',
    'boolean',
    false,
    'true',
    'JSON format: wrap keys in {schema, payload}.',
  ),
  field(
    'value.converter.schemas.enable',
    'boolean',
    false,
    'true',
    'JSON format: wrap values in {schema, payload}.',
  ),
  field(
    'exactly.once.support',
    'string',
    false,
    'disabled',
    "Write each source transaction and its position in one Kafka transaction ('requested' or 'required' turn it on).",
    ['disabled', 'requested', 'required'],
  ),
  field(
    'topic.creation.default.partitions',
    'int',
    false,
    '1',
    'Partitions of topics the connector creates.',
  ),
  field(
    'topic.creation.default.replication.factor',
    'int',
    false,
    '-1',
    'Replication factor of topics the connector creates (-1: the service default).',
  ),
  field(
    'errors.max.retries',
    'int',
    false,
    '-1',
    "Debezium's retries of a retriable failure (database or Kafka unreachable) before the connector goes FAILED: -1 retries for ever, 0 never. The wait doubles from 0.5 s to 30 s; a run that works again restarts the count.",
  ),
]

/** Generic keys the runtime implements beyond the fields above. */
const implementedKeys = new Set([
  ...runtimeConfigDef.map((definition) => definition.name),
  'skipped.operations',
  'topic.creation.default.cleanup.policy',
])

function field(
  name: string,
  type: ConfigField['type'],
  required: boolean,
  defaultValue: string | undefined,
  doc: string,
  allowed?: readonly string[],
): ConfigField {
  return {
    name,
    type,
    required,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    ...(allowed === undefined ? {} : { allowed }),
    importance: required ? 'HIGH' : 'MEDIUM',
    group: 'Common',
    doc,
  }
}

export interface RuntimeSettings {
  keyFormat: 'avro' | 'json'
  valueFormat: 'avro' | 'json'
  keySchemasEnable: boolean
  valueSchemasEnable: boolean
  exactlyOnce: boolean
  skippedOperations: ReadonlySet<string>
  cleanupPolicy: 'compact' | 'delete'
  partitions: number
  replicationFactor: number | null
  /** Retries of a retriable failure before FAILED; Infinity for errors.max.retries=-1. */
  maxRetries: number
}

/** Checks the generic settings; returns every problem. */
export function validateRuntimeConfig(config: ConnectorConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  for (const key of ['key.converter', 'value.converter']) {
    const value = config[key]
    if (value !== undefined && !converters.includes(value)) {
      issues.push({ field: key, message: `must be one of ${converters.join(', ')}` })
    }
  }
  for (const key of ['key.converter.schemas.enable', 'value.converter.schemas.enable']) {
    const value = config[key]
    if (value !== undefined && value !== 'true' && value !== 'false') {
      issues.push({ field: key, message: 'must be true or false' })
    }
  }
  const eos = config['exactly.once.support']
  if (eos !== undefined && !['disabled', 'requested', 'required'].includes(eos)) {
    issues.push({
      field: 'exactly.once.support',
      message: 'must be disabled, requested or required',
    })
  }
  const skipped = skippedOperations(config)
  for (const op of skipped) {
    if (!['c', 'u', 'd', 't'].includes(op)) {
      issues.push({
        field: 'skipped.operations',
        message: `${op} is not an op: use c, u, d, t or none`,
      })
    }
  }
  const policy = config['topic.creation.default.cleanup.policy'] ?? 'compact'
  if (!['compact', 'delete'].includes(policy)) {
    issues.push({
      field: 'topic.creation.default.cleanup.policy',
      message: 'must be compact or delete',
    })
  } else if (policy === 'compact' && !skipped.has('t')) {
    issues.push({
      field: 'skipped.operations',
      message:
        'truncate events have a null key, which compacted topics refuse: keep t in skipped.operations or set topic.creation.default.cleanup.policy=delete',
    })
  }
  for (const key of Object.keys(config)) {
    if (!isRuntimeConfigKey(key) || implementedKeys.has(key)) continue
    // errors.tolerance=none is what the runtime does anyway: a record it cannot write fails
    // the connector.
    if (key === 'errors.tolerance' && config[key] === 'none') continue
    issues.push({
      field: key,
      message:
        'is a Kafka Connect setting this service does not implement (single message transforms, predicates, error tolerance, client overrides and per-connector offsets topics are not available); remove it',
    })
  }
  const retries = config['errors.max.retries']
  if (retries !== undefined && !/^(-1|\d+)$/.test(retries)) {
    issues.push({
      field: 'errors.max.retries',
      message: 'must be -1 (retry for ever), 0 (never retry) or a positive whole number',
    })
  }
  checkInt(config, 'tasks.max', 1, issues)
  checkInt(config, 'topic.creation.default.partitions', 1, issues)
  const rf = config['topic.creation.default.replication.factor']
  if (rf !== undefined && rf !== '-1')
    checkInt(config, 'topic.creation.default.replication.factor', 1, issues)
  return issues
}

function checkInt(config: ConnectorConfig, key: string, min: number, issues: ConfigIssue[]): void {
  const value = config[key]
  if (value === undefined) return
  if (!/^\d+$/.test(value) || Number(value) < min) {
    issues.push({ field: key, message: `must be a whole number of at least ${min}` })
  }
}

function skippedOperations(config: ConnectorConfig): Set<string> {
  const text = config['skipped.operations'] ?? 't'
  if (text.trim() === 'none') return new Set()
  return new Set(
    text
      .split(',')
      .map((op) => op.trim())
      .filter((op) => op !== ''),
  )
}

export function runtimeSettings(config: ConnectorConfig): RuntimeSettings {
  const rf = Number(config['topic.creation.default.replication.factor'] ?? '-1')
  return {
    keyFormat: config['key.converter'] === jsonConverter ? 'json' : 'avro',
    valueFormat: config['value.converter'] === jsonConverter ? 'json' : 'avro',
    keySchemasEnable: config['key.converter.schemas.enable'] !== 'false',
    valueSchemasEnable: config['value.converter.schemas.enable'] !== 'false',
    exactlyOnce: ['requested', 'required'].includes(config['exactly.once.support'] ?? 'disabled'),
    skippedOperations: skippedOperations(config),
    cleanupPolicy:
      config['topic.creation.default.cleanup.policy'] === 'delete' ? 'delete' : 'compact',
    partitions: Number(config['topic.creation.default.partitions'] ?? '1'),
    replicationFactor: rf === -1 ? null : rf,
    maxRetries:
      (config['errors.max.retries'] ?? '-1') === '-1'
        ? Number.POSITIVE_INFINITY
        : Number(config['errors.max.retries']),
  }
}
