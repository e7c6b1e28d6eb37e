// Every mapped type through the snapshot (r) and the stream (c): the same row gives the same value.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Decimal, type ConnectValue } from '../../../envelope/connect-schema.ts'
import { ConnectorRun, rows } from './connector-run.ts'
import { PgScope } from './pg-fixture.ts'

const columns = `
  i2 smallint, i4 int, i8 bigint, n102 numeric(10,2), nfree numeric, r real, d double precision, dinf double precision,
  m money, b boolean, txt text, vc varchar(5), ch char(4), ba bytea, u uuid, js json, jb jsonb, x xml,
  dt date, dtinf date, tm time, tm3 time(3), tmz timetz, ts timestamp, ts0 timestamp(0), tsinf timestamp,
  tstz timestamptz, tstz3 timestamptz(3), iv interval, ia int[], ta text[], na numeric(5,2)[], ja jsonb[],
  mood MOOD, moods MOOD[], ip inet, net cidr, mac macaddr, b3 bit(3), b1 bit(1), vb varbit, tv tsvector,
  pt point, bx box, dom POSINT, pair PAIR, rng int4range, big text, gen int generated always as (i4 * 2) stored`

const values = `
  -32768, 1000, -9223372036854775808, -12345678.91, 123.4500, 3.25, 1e-300, 'Infinity',
  -1234.5, false, 'ünïcode ✓', 'abcde', 'x', '\\x000102', '00000000-0000-0000-0000-000000000001', '{"a": [1, {"b": null}]}', '{"z": 1, "a": 2}', '<r a="1"/>',
  '1900-01-01', '-infinity', '00:00:00', '23:59:59.999', '23:30:00-02:30', '1999-12-31 23:59:59.999999', '2000-01-01 00:00:00', '-infinity',
  '2024-06-30 12:00:00.000001+05', '1960-01-01 00:00:00.5+00', '-1 day -02:03:04.5', '{}', '{"",NULL,"a,b"}', '{-1.25}', array['{"k": 1}'::jsonb, null],
  'happy', '{}', '::1', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', B'000', B'0', B'', 'the quick brown',
  '(0,0)', '((1,1),(0,0))', 1, row(null, ''), 'empty', repeat('long ', 2000)`

describe('postgres connector: type mapping, snapshot and stream alike', () => {
  let scope: PgScope
  before(async () => {
    scope = await PgScope.create()
    const sql = (text: string) =>
      text
        .replaceAll('MOOD', `${scope.schema}.mood`)
        .replaceAll('POSINT', `${scope.schema}.posint`)
        .replaceAll('PAIR', `${scope.schema}.pair`)
    await scope.query(`create type ${scope.schema}.mood as enum ('sad', 'ok', 'happy')`)
    await scope.query(`create domain ${scope.schema}.posint as int check (value > 0)`)
    await scope.query(`create type ${scope.schema}.pair as (a int, b text)`)
    await scope.query(
      sql(`create table ${scope.table('all_types')} (id int primary key, ${columns})`),
    )
    await scope.query(sql(`insert into ${scope.table('all_types')} values (1, ${values})`))
    await scope.query(sql(`insert into ${scope.table('all_types')} (id) values (2)`))
  })
  after(async () => {
    await scope.drop()
  })

  const modes: Record<string, string>[] = [
    {},
    { 'decimal.handling.mode': 'string', 'time.precision.mode': 'connect' },
  ]
  for (const mode of modes) {
    it(`gives equal r and c events (${JSON.stringify(mode)})`, async () => {
      await scope.slotReleased()
      await scope.query(
        `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1`,
        [scope.slot],
      )
      await scope.query(`delete from ${scope.table('all_types')} where id > 100`)
      const run = new ConnectorRun(scope.name, scope.config(mode), null)
      try {
        await run.streaming()
        const names = [...columns.matchAll(/(\w+) [^,(]+(?:\([^)]*\))?[^,]*(?:,|$)/g)]
          .map((match) => match[1])
          .filter((name) => name !== 'gen')
        await scope.query(
          `insert into ${scope.table('all_types')} (id, ${names.join(', ')}) select id + 100, ${names.join(', ')} from ${scope.table('all_types')} order by id`,
        )
        const [snapshotFull, snapshotNulls, streamedFull, streamedNulls] = rows(await run.events(4))
        assert.deepEqual(
          [snapshotFull?.op, snapshotNulls?.op, streamedFull?.op, streamedNulls?.op],
          ['r', 'r', 'c', 'c'],
        )
        assert.deepEqual(streamedFull?.table, snapshotFull?.table)
        assert.deepEqual({ ...streamedFull?.after, id: 1 }, snapshotFull?.after)
        assert.deepEqual({ ...streamedNulls?.after, id: 2 }, snapshotNulls?.after)
        // Generated columns are not published by pgoutput, so they are not captured at all.
        assert.ok(!snapshotFull?.table.columns.some((column) => column.name === 'gen'))
        const after = snapshotFull?.after ?? {}
        if (Object.keys(mode).length === 0) {
          assert.deepEqual(after.n102, new Decimal(-1234567891n, 2))
          assert.equal(after.tstz, '2024-06-30T07:00:00.000001Z')
          assert.equal(after.tmz, '02:00:00Z')
          assert.equal(after.iv, -93784500000n)
          assert.equal(after.ts, 946684799999999n)
          assert.deepEqual(after.ta, ['', null, 'a,b'])
          assert.equal(after.bx, '(1,1),(0,0)')
          assert.equal(after.big, 'long '.repeat(2000))
        } else {
          assert.equal(after.n102, '-12345678.91')
          assert.equal(after.ts, 946684799999n)
          assert.equal(after.m, '-1234.50')
        }
      } finally {
        await run.stop()
      }
    })
  }
})

/**
 * The types of issue #5, each with the value Debezium 3.6's PostgresConnector gives for it
 * (PostgresValueConverter; the data-type tables of its PostgreSQL connector docs), in the
 * default modes and, where it differs, under decimal.handling.mode=string. Deliberate
 * differences (README "Decisions and deviations") are marked.
 */
interface TypeCase {
  column: string
  type: string
  value: string
  expected: ConnectValue
  /** The field's semantic schema name (undefined: a plain Connect type). */
  name?: string
  /** Under decimal.handling.mode=string, when it differs from `expected`. */
  asString?: ConnectValue
}

const issueTypes: TypeCase[] = [
  // hstore.handling.mode=json: a JSON object in java.util.HashMap order, null for NULL.
  {
    column: 'hs',
    type: 'hstore',
    value: `'"a"=>"1", "b"=>NULL, "c d"=>"x\\"y"'`,
    expected: '{"a":"1","b":null,"c d":"x\\"y"}',
    name: 'io.debezium.data.Json',
  },
  {
    column: 'lt',
    type: 'ltree',
    value: `'Top.Science.Astronomy'`,
    expected: 'Top.Science.Astronomy',
    name: 'io.debezium.data.Ltree',
  },
  { column: 'lts', type: 'ltree[]', value: `array['a.b', 'c']::ltree[]`, expected: ['a.b', 'c'] },
  { column: 'ci', type: 'citext', value: `'MiXeD Case'`, expected: 'MiXeD Case' },
  // Deviation: Debezium leaves composite columns out (include.unknown.datatypes=false).
  { column: 'comp', type: 'PAIR', value: `row(1, 'a b')`, expected: '(1,"a b")' },
  // Ranges: the server's text (canonical form for discrete ranges).
  { column: 'r4', type: 'int4range', value: `'[1,10)'`, expected: '[1,10)' },
  { column: 'r8', type: 'int8range', value: `'(,5]'`, expected: '(,6)' },
  { column: 'rn', type: 'numrange', value: `'[1.5,2.5]'`, expected: '[1.5,2.5]' },
  {
    column: 'rd',
    type: 'daterange',
    value: `'[2024-01-01,2024-02-01]'`,
    expected: '[2024-01-01,2024-02-02)',
  },
  {
    column: 'rts',
    type: 'tsrange',
    value: `'[2024-01-01 10:00,2024-01-01 11:00)'`,
    expected: '["2024-01-01 10:00:00","2024-01-01 11:00:00")',
  },
  {
    column: 'rtz',
    type: 'tstzrange',
    value: `'[2024-01-01 10:00+02,infinity)'`,
    expected: '["2024-01-01 08:00:00+00",infinity)',
  },
  // Deviation: Debezium 3.6 leaves these geometric types out (3.7 maps them to WKB).
  { column: 'ls', type: 'lseg', value: `'[(0,0),(1,1)]'`, expected: '[(0,0),(1,1)]' },
  { column: 'pc', type: 'path', value: `'((0,0),(1,1),(2,0))'`, expected: '((0,0),(1,1),(2,0))' },
  { column: 'po', type: 'path', value: `'[(0,0),(1,1)]'`, expected: '[(0,0),(1,1)]' },
  {
    column: 'pg',
    type: 'polygon',
    value: `'((0,0),(1,1),(1,0))'`,
    expected: '((0,0),(1,1),(1,0))',
  },
  { column: 'ci2', type: 'circle', value: `'<(1,1),2>'`, expected: '<(1,1),2>' },
  { column: 'ln', type: 'line', value: `'{1,-1,0}'`, expected: '{1,-1,0}' },
  // A domain over numeric(12,3) takes the base type's precision and scale.
  {
    column: 'price',
    type: 'PRICE',
    value: '12.5',
    expected: new Decimal(12500n, 3),
    name: 'org.apache.kafka.connect.data.Decimal',
    asString: '12.500',
  },
  // Deviation: Debezium does not see the scale of a domain over a domain.
  {
    column: 'price2',
    type: 'PRICE2',
    value: '-0.001',
    expected: new Decimal(-1n, 3),
    asString: '-0.001',
  },
  { column: 'moods2', type: 'MOOD[]', value: `'{happy,sad}'`, expected: ['happy', 'sad'] },
  // ±infinity: Debezium's sentinels (pgjdbc's), or the text for timestamptz.
  {
    column: 'dpinf',
    type: 'date',
    value: `'infinity'`,
    expected: -2147472692,
    name: 'io.debezium.time.Date',
  },
  { column: 'tspinf', type: 'timestamp', value: `'infinity'`, expected: 9223372036825200000n },
  { column: 'tzpinf', type: 'timestamptz', value: `'infinity'`, expected: 'infinity' },
  { column: 'tzninf', type: 'timestamptz', value: `'-infinity'`, expected: '-infinity' },
  // NaN/±Infinity have no exact form: null under precise, Debezium's names under string.
  { column: 'nnan', type: 'numeric', value: `'NaN'`, expected: null, asString: 'NAN' },
  {
    column: 'npinf',
    type: 'numeric',
    value: `'Infinity'`,
    expected: null,
    asString: 'POSITIVE_INFINITY',
  },
  {
    column: 'nninf',
    type: 'numeric',
    value: `'-Infinity'`,
    expected: null,
    asString: 'NEGATIVE_INFINITY',
  },
  { column: 'n102nan', type: 'numeric(10,2)', value: `'NaN'`, expected: null, asString: 'NAN' },
  {
    column: 'mmax',
    type: 'money',
    value: `'92233720368547758.07'`,
    expected: new Decimal(9223372036854775807n, 2),
    asString: '92233720368547758.07',
  },
  // MicroDuration: Debezium's double arithmetic (365.25/12 days a month), truncated.
  {
    column: 'ivl',
    type: 'interval',
    value: `'1 year 2 mons 3 days 04:05:06.789'`,
    expected: 37091106789000n,
    name: 'io.debezium.time.MicroDuration',
  },
  // Java's (long) saturates: PostgreSQL's largest intervals give Long.MAX/MIN_VALUE.
  { column: 'ivmax', type: 'interval', value: `'178000000 years'`, expected: 9223372036854775807n },
  {
    column: 'ivmin',
    type: 'interval',
    value: `'-178000000 years'`,
    expected: -9223372036854775808n,
  },
  // Bits: little-endian bytes of the bit string's value, in the fewest bytes.
  { column: 'b10', type: 'bit(10)', value: `B'1000000001'`, expected: new Uint8Array([1, 2]) },
  { column: 'vb5', type: 'varbit(5)', value: `B'10110'`, expected: new Uint8Array([22]) },
  { column: 'vb1', type: 'varbit(1)', value: `B'1'`, expected: true },
  {
    column: 'x2',
    type: 'xml',
    value: `'<a><b>x</b></a>'`,
    expected: '<a><b>x</b></a>',
    name: 'io.debezium.data.Xml',
  },
  {
    column: 'tsv',
    type: 'tsvector',
    value: `'a fat cat'`,
    expected: `'a' 'cat' 'fat'`,
    name: 'io.debezium.data.TsVector',
  },
  // ZonedTime: UTC, Java's ISO_OFFSET_TIME (the fraction without trailing zeros).
  {
    column: 'ttz6',
    type: 'timetz',
    value: `'12:34:56.123456+02'`,
    expected: '10:34:56.123456Z',
    name: 'io.debezium.time.ZonedTime',
  },
  { column: 'ttz3', type: 'timetz(3)', value: `'23:59:59.12-00:30'`, expected: '00:29:59.12Z' },
]

describe('postgres connector: the types of issue #5, as Debezium maps them', () => {
  let scope: PgScope
  const sql = (text: string) =>
    text
      .replaceAll('PAIR', `${scope.schema}.pair`)
      .replaceAll('PRICE2', `${scope.schema}.price2`)
      .replaceAll('PRICE', `${scope.schema}.price`)
      .replaceAll('MOOD', `${scope.schema}.mood`)
  before(async () => {
    scope = await PgScope.create()
    for (const extension of ['hstore', 'ltree', 'citext'])
      await scope.query(`create extension if not exists ${extension}`)
    await scope.query(`create type ${scope.schema}.mood as enum ('sad', 'ok', 'happy')`)
    await scope.query(`create type ${scope.schema}.pair as (a int, b text)`)
    await scope.query(`create domain ${scope.schema}.price as numeric(12,3)`)
    await scope.query(`create domain ${scope.schema}.price2 as ${scope.schema}.price`)
    const columns = issueTypes.map((c) => `${c.column} ${c.type}`).join(', ')
    await scope.query(
      sql(`create table ${scope.table('issue_types')} (id int primary key, ${columns})`),
    )
    await scope.query(
      sql(
        `insert into ${scope.table('issue_types')} values (1, ${issueTypes.map((c) => c.value).join(', ')})`,
      ),
    )
    await scope.query(`insert into ${scope.table('issue_types')} (id) values (2)`)
  })
  after(async () => {
    await scope.drop()
  })

  for (const mode of [{}, { 'decimal.handling.mode': 'string' }] as Record<string, string>[]) {
    it(`gives Debezium's value in r and c events alike (${JSON.stringify(mode)})`, async () => {
      await scope.slotReleased()
      await scope.query(
        `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1`,
        [scope.slot],
      )
      await scope.query(`delete from ${scope.table('issue_types')} where id > 100`)
      const run = new ConnectorRun(scope.name, scope.config(mode), null)
      try {
        await run.streaming()
        const names = issueTypes.map((c) => c.column).join(', ')
        await scope.query(
          `insert into ${scope.table('issue_types')} (id, ${names}) select id + 100, ${names} from ${scope.table('issue_types')} order by id`,
        )
        const [snapshotFull, snapshotNulls, streamedFull, streamedNulls] = rows(await run.events(4))
        assert.deepEqual(
          [snapshotFull?.op, snapshotNulls?.op, streamedFull?.op, streamedNulls?.op],
          ['r', 'r', 'c', 'c'],
        )
        assert.deepEqual(streamedFull?.table, snapshotFull?.table)
        assert.deepEqual({ ...streamedFull?.after, id: 1 }, snapshotFull?.after)
        assert.deepEqual({ ...streamedNulls?.after, id: 2 }, snapshotNulls?.after)
        const string = mode['decimal.handling.mode'] === 'string'
        const full = snapshotFull?.after ?? {}
        const nulls = snapshotNulls?.after ?? {}
        const fields = snapshotFull?.table.columns ?? []
        for (const c of issueTypes) {
          const expected = string && c.asString !== undefined ? c.asString : c.expected
          assert.deepEqual(full[c.column], expected, `${c.column} ${c.type}`)
          assert.equal(nulls[c.column], null, `${c.column} NULL`)
          const field = fields.find((column) => column.name === c.column)
          if (c.name !== undefined && !(string && c.asString !== undefined))
            assert.equal(field?.schema.name, c.name, `${c.column} schema`)
        }
        const price = fields.find((column) => column.name === 'price')
        if (!string)
          assert.deepEqual(price?.schema.parameters, {
            scale: '3',
            'connect.decimal.precision': '12',
          })
      } finally {
        await run.stop()
      }
    })
  }
})
