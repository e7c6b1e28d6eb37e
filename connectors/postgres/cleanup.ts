import type { PostgresConfig } from './config.ts'
import { connectClient } from './connection.ts'
import { dropOwnPublication } from './publication.ts'
import { dropSlot } from './slot.ts'

/**
 * Frees what a deleted connector holds when `slot.drop.on.stop` is set: its slot, and the
 * publication if this connector created it. The publication stays while the slot does: a
 * slot decoding under a publication re-created later fails on the changes in between.
 */
export async function postgresCleanup(config: PostgresConfig, connector: string): Promise<void> {
  if (!config.slotDropOnStop) return
  const admin = await connectClient(config.connection, { applicationName: 'cdc-cleanup' })
  try {
    await dropSlot(admin, config.slotName, config.connection.database)
    await dropOwnPublication(admin, config.publicationName, connector)
  } finally {
    await admin.end().catch(() => undefined)
  }
}
