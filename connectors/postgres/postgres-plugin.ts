import type { ConnectorPlugin } from '../plugin.ts'
import { parsePostgresConfig, validatePostgresConfig } from './config.ts'
import { configDef, connectorAliases, connectorClass } from './config-def.ts'
import { postgresCleanup } from './cleanup.ts'
import { postgresLag } from './lag.ts'
import { PostgresTask } from './postgres-task.ts'

/** Written into source.version of every event. */
export const postgresConnectorVersion = '0.1.0'

/** The PostgreSQL source: pgoutput logical replication with Debezium-shaped events. */
export const postgresConnectorPlugin: ConnectorPlugin = {
  className: connectorClass,
  aliases: connectorAliases,
  type: 'source',
  version: postgresConnectorVersion,
  configDef,
  validate: validatePostgresConfig,
  create: (config, context) =>
    new PostgresTask(parsePostgresConfig(config), context, postgresConnectorVersion),
  lag: (config, position) => postgresLag(parsePostgresConfig(config), position),
  cleanup: (config) => postgresCleanup(parsePostgresConfig(config), config.name ?? ''),
}
