import { randomBytes } from 'node:crypto'

/**
 * A name no other test run uses, valid as a Kafka topic, a Postgres identifier, a slot name
 * and a registry subject: lower case, digits and underscores.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`
}
