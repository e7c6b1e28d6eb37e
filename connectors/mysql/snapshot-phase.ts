import type { ConnectorContext } from '../plugin.ts'
import type { MysqlConfig } from './config.ts'
import { MysqlSession } from './connection.ts'
import type { TableRef } from './ddl-statement.ts'
import type { MysqlPosition } from './position.ts'
import type { SchemaChangeEvent } from './schema-change.ts'
import type { SchemaTracker } from './schema-tracker.ts'
import type { ServerInfo } from './server-info.ts'
import { runSnapshot } from './snapshot.ts'
import { startSnapshot } from './snapshot-position.ts'
import { sourceBlock } from './source-info.ts'
import { qualifiedName } from './sql-text.ts'

export interface SnapshotPhase {
  config: MysqlConfig
  context: ConnectorContext
  info: ServerInfo
  schemas: SchemaTracker
  tables: readonly TableRef[]
  version: string
  signal: AbortSignal
  onSchemaChange?: (event: SchemaChangeEvent) => Promise<void>
}

/**
 * Takes the snapshot on a connection of its own: starts the consistent-snapshot
 * transaction and reads its binlog point, reads the tables' schemas, then their rows.
 * Returns the position to stream from, or null when stopped before the snapshot completed.
 */
export async function takeSnapshot(phase: SnapshotPhase): Promise<MysqlPosition | null> {
  const { config, context } = phase
  const reader = await MysqlSession.open(config.connection, 'the snapshot')
  try {
    // A paused sink pauses the result stream; the server must not give up on it meanwhile.
    await reader.query('SET SESSION net_write_timeout = 3600')
    const point = await startSnapshot(
      reader,
      phase.info,
      config.snapshotLockingMode,
      config.connection.user,
    )
    if (!point.exact) {
      context.logger.warn(
        'snapshot.locking.mode=none on MySQL: the snapshot and its binlog position may be apart if something wrote meanwhile',
      )
    }
    await phase.schemas.load(phase.tables)
    const tables = phase.tables
      .map((ref) => phase.schemas.get(ref.database, ref.table))
      .filter((table) => table !== undefined)
    const source = { flavor: config.flavor, version: phase.version, name: config.topicPrefix }
    if (phase.onSchemaChange !== undefined) {
      for (const table of tables) {
        const [row] = await reader.query(
          `SHOW CREATE TABLE ${qualifiedName(table.def.database, table.def.table)}`,
        )
        await phase.onSchemaChange({
          flavor: config.flavor,
          topic: config.topicPrefix,
          source: sourceBlock({
            ...source,
            timeUs: BigInt(Date.now()) * 1000n,
            snapshot: 'true',
            db: table.def.database,
            table: table.def.table,
            serverId: 0,
            gtid: null,
            file: point.file,
            pos: point.pos,
            row: 0,
            thread: null,
            query: null,
          }),
          tsMs: Date.now(),
          databaseName: table.def.database,
          ddl: row?.['Create Table'] ?? '',
          tableChanges: [{ type: 'CREATE', def: table.def }],
        })
      }
    }
    return await runSnapshot({
      reader,
      point,
      tables,
      fetchSize: config.snapshotFetchSize,
      sink: context.sink,
      monitor: context.monitor,
      signal: phase.signal,
      source,
    })
  } finally {
    // A stopped snapshot leaves a result set half read; closing would wait for all of it.
    reader.destroy()
  }
}
