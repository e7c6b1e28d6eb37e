/**
 * Confluent's subject name strategies. Debezium with the default TopicNameStrategy registers
 * `<topic>-key` and `<topic>-value`.
 */
export type RecordPart = 'key' | 'value'

/** TopicNameStrategy: one subject per topic and part. */
export function topicSubject(topic: string, part: RecordPart): string {
  return `${topic}-${part}`
}

/** RecordNameStrategy: the record's fully-qualified name, shared by every topic. */
export function recordSubject(fullName: string): string {
  return fullName
}

/** TopicRecordNameStrategy: several record types per topic. */
export function topicRecordSubject(topic: string, fullName: string): string {
  return `${topic}-${fullName}`
}
