// Where the real servers are (the ones scripts/services.sh starts); each can be pointed elsewhere
// with the same variables the tests read.
export const benchEnv = {
  kafkaBrokers: (process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092').split(','),
  postgres: {
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? '5432'),
    user: process.env.PGUSER ?? 'postgres',
    database: process.env.PG_TEST_DB ?? 'cdc_test',
  },
  mariadb: {
    host: process.env.MARIADB_HOST ?? '127.0.0.1',
    port: Number(process.env.MARIADB_PORT ?? '3306'),
    user: process.env.MARIADB_USER ?? 'root',
    password: process.env.MARIADB_PASSWORD ?? '',
    database: process.env.MARIADB_TEST_DB ?? 'cdc_test',
  },
  apicurioUrl:
    process.env.APICURIO_URL ??
    `http://127.0.0.1:${process.env.APICURIO_PORT ?? '8080'}/apis/ccompat/v7`,
} as const
