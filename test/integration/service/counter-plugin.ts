// A test-only connector: it "captures" an ever-growing counter table, one row per number,
// committing a position every few rows. It lets the runtime's lifecycle, restarts and
// failover be tested through real Kafka without a database.
import { setTimeout as delay } from 'node:timers/promises'
import { CdcError } from '../../../common/errors.ts'
import { isRuntimeConfigKey } from '../../../connectors/runtime-config.ts'
import type { ConfigIssue, ConnectorConfig, ConnectorPlugin } from '../../../connectors/plugin.ts'
import type { RowChangeEvent } from '../../../envelope/change-event.ts'
import type { StructSchema } from '../../../envelope/connect-schema.ts'
import type { TableSchema } from '../../../envelope/table-schema.ts'

const sourceSchema: StructSchema = {
  type: 'struct',
  name: 'io.cdc.test.Source',
  optional: false,
  fields: [
    { name: 'name', schema: { type: 'string', optional: false } },
    { name: 'n', schema: { type: 'int64', optional: false } },
  ],
}

const ownKeys = [
  'topic.prefix',
  'counter.batch',
  'counter.interval.ms',
  'counter.fail.at',
  'counter.limit',
  'tombstones.on.delete',
  'counter.schema.change.at',
]

function table(prefix: string, withTier = false): TableSchema {
  return {
    id: { database: 'test', schema: '', table: 'counter' },
    topic: `${prefix}.counter`,
    columns: [
      { name: 'id', schema: { type: 'int64', optional: false }, sourceType: 'BIGINT' },
      { name: 'note', schema: { type: 'string', optional: true }, sourceType: 'TEXT' },
      // From counter.schema.change.at on, the table has gained a NOT NULL column without a
      // default: not BACKWARD compatible with the earlier schema.
      ...(withTier
        ? [{ name: 'tier', schema: { type: 'int32' as const, optional: false }, sourceType: 'INT' }]
        : []),
    ],
    keyColumns: ['id'],
  }
}

export const counterPlugin: ConnectorPlugin = {
  className: 'io.cdc.test.CounterConnector',
  aliases: ['counter'],
  type: 'source',
  version: 'test',
  configDef: [
    {
      name: 'topic.prefix',
      type: 'string',
      required: true,
      importance: 'HIGH',
      group: 'Counter',
      doc: 'Topic prefix.',
    },
    {
      name: 'counter.batch',
      type: 'int',
      required: false,
      default: '5',
      importance: 'LOW',
      group: 'Counter',
      doc: 'Rows per commit.',
    },
    {
      name: 'counter.interval.ms',
      type: 'int',
      required: false,
      default: '20',
      importance: 'LOW',
      group: 'Counter',
      doc: 'Pause between commits.',
    },
    {
      name: 'counter.fail.at',
      type: 'long',
      required: false,
      importance: 'LOW',
      group: 'Counter',
      doc: 'Fail permanently at this number.',
    },
    {
      name: 'counter.limit',
      type: 'long',
      required: false,
      importance: 'LOW',
      group: 'Counter',
      doc: 'Stop producing after this number.',
    },
  ],
  validate(config: ConnectorConfig): ConfigIssue[] {
    const issues: ConfigIssue[] = []
    if ((config['topic.prefix'] ?? '') === '')
      issues.push({ field: 'topic.prefix', message: 'is required' })
    for (const key of Object.keys(config)) {
      if (!ownKeys.includes(key) && !isRuntimeConfigKey(key)) {
        issues.push({ field: key, message: 'is not a setting of this connector' })
      }
    }
    return issues
  },
  create(config, context) {
    const prefix = config['topic.prefix'] ?? 'test'
    const batch = Number(config['counter.batch'] ?? '5')
    const interval = Number(config['counter.interval.ms'] ?? '20')
    const failAt =
      config['counter.fail.at'] === undefined ? Infinity : Number(config['counter.fail.at'])
    const limit = config['counter.limit'] === undefined ? Infinity : Number(config['counter.limit'])
    const schema = table(prefix)
    const changedSchema = table(prefix, true)
    const changeAt =
      config['counter.schema.change.at'] === undefined
        ? Infinity
        : Number(config['counter.schema.change.at'])
    return {
      async run(from, signal) {
        let n = from === null ? 0 : Number(from.n)
        context.monitor.phase('streaming')
        while (!signal.aborted) {
          if (n >= limit) {
            await delay(interval, undefined, { signal }).catch(() => undefined)
            continue
          }
          for (let i = 0; i < batch && n < limit; i++) {
            n++
            if (n === failAt) {
              throw new CdcError('CDC_CONFIG_INVALID', `counter reached counter.fail.at=${failAt}`)
            }
            const event: RowChangeEvent = {
              kind: 'row',
              op: 'c',
              table: n >= changeAt ? changedSchema : schema,
              before: null,
              after:
                n >= changeAt
                  ? { id: BigInt(n), note: `row ${n}`, tier: 1 }
                  : { id: BigInt(n), note: `row ${n}` },
              source: { schema: sourceSchema, value: { name: context.name, n: BigInt(n) } },
              tsMs: Date.now(),
            }
            await context.sink.emit(event)
            context.monitor.eventsSeen(1)
          }
          await context.sink.commit({ n: String(n) })
          await delay(interval, undefined, { signal }).catch(() => undefined)
        }
      },
    }
  },
}
