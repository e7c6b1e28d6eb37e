/**
 * Config keys the service runtime owns rather than the connector: Kafka Connect's
 * generic connector settings. Plugins accept them without complaint and leave them to the
 * runtime; every other key a plugin does not know is an error.
 */
export const runtimeConfigKeys: readonly string[] = [
  'name',
  'connector.class',
  'tasks.max',
  'key.converter',
  'value.converter',
  'header.converter',
  'exactly.once.support',
  'transaction.boundary',
  'topic.creation.default.partitions',
  'topic.creation.default.replication.factor',
  'offsets.storage.topic',
  'skipped.operations',
]

/** Prefixes of generic keys (converter settings, transforms, error handling, ...). */
export const runtimeConfigPrefixes: readonly string[] = [
  'key.converter.',
  'value.converter.',
  'header.converter.',
  'transforms',
  'predicates',
  'errors.',
  'topic.creation.',
  'producer.override.',
  'consumer.override.',
  'admin.override.',
  'config.action.reload',
  'transaction.boundary.',
]

export function isRuntimeConfigKey(key: string): boolean {
  return (
    runtimeConfigKeys.includes(key) ||
    runtimeConfigPrefixes.some((prefix) => key.startsWith(prefix))
  )
}
