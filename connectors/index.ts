import { mariadbConnectorPlugin, mysqlConnectorPlugin } from './mysql/mysql-plugin.ts'
import type { ConnectorPlugin } from './plugin.ts'
import { postgresConnectorPlugin } from './postgres/postgres-plugin.ts'

/** The connector plugins this build of the service offers (`GET /connector-plugins`). */
export const installedPlugins: readonly ConnectorPlugin[] = [
  postgresConnectorPlugin,
  mysqlConnectorPlugin,
  mariadbConnectorPlugin,
]
