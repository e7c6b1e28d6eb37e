import type { ConnectorContext, ConnectorPlugin } from '../plugin.ts'
import { configDefFor, connectorClasses, type Flavor } from './config-def.ts'
import { parseMysqlConfig, validateMysqlConfig } from './config.ts'
import { mysqlLag } from './lag.ts'
import { MysqlTask, type MysqlTaskOptions } from './mysql-task.ts'

/** Written into source.version of every event. */
export const mysqlConnectorVersion = '0.1.0'

/**
 * A task with options the generic plugin contract has no room for (the schema change
 * listener); `plugin.create` is this without options.
 */
export function createMysqlTask(
  flavor: Flavor,
  config: Readonly<Record<string, string>>,
  context: ConnectorContext,
  options: MysqlTaskOptions = {},
): MysqlTask {
  return new MysqlTask(parseMysqlConfig(config, flavor), context, mysqlConnectorVersion, options)
}

function plugin(flavor: Flavor): ConnectorPlugin {
  return {
    className: connectorClasses[flavor],
    aliases: [flavor],
    type: 'source',
    version: mysqlConnectorVersion,
    configDef: configDefFor(flavor),
    validate: (config) => validateMysqlConfig(config, flavor),
    create: (config, context) => createMysqlTask(flavor, config, context),
    lag: (config, position) => mysqlLag(parseMysqlConfig(config, flavor), position),
  }
}

/** The MySQL source: binlog replication with Debezium MySQL-shaped events. */
export const mysqlConnectorPlugin: ConnectorPlugin = plugin('mysql')

/** The MariaDB source: the same connector with Debezium MariaDB's names. */
export const mariadbConnectorPlugin: ConnectorPlugin = plugin('mariadb')
