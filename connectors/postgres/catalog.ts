import type { Queryable } from './queryable.ts'
import type { ReplicaIdentity } from './pgoutput/messages.ts'

export interface TableRef {
  oid: number
  schema: string
  name: string
}

export interface CatalogColumn {
  name: string
  typeOid: number
  typmod: number
  notNull: boolean
  /** format_type(): `numeric(10,2)`, `character varying(20)`. */
  typeText: string
  /** pg_get_expr() of the column's default: `'x'::text`, `0`, `now()`; null without one. */
  defaultExpression?: string | null
}

export interface CatalogTable extends TableRef {
  replicaIdentity: ReplicaIdentity
  /** Primary key columns in key order; empty when there is none. */
  primaryKey: readonly string[]
  /** Published columns: not dropped, not generated (pgoutput omits generated columns). */
  columns: readonly CatalogColumn[]
  /** pg_class.reltuples; null when the table was never analyzed (-1). */
  estimatedRows: number | null
}

/** Schemas that hold no user data. */
const systemSchemas = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'`

/** Ordinary tables of the database, partitions included, partitioned parents not. */
export async function listTables(client: Queryable): Promise<TableRef[]> {
  const { rows } = await client.query<{ oid: string; schema: string; name: string }>(
    `select c.oid, n.nspname as schema, c.relname as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and ${systemSchemas}
      order by n.nspname, c.relname`,
  )
  return rows.map((row) => ({ oid: Number(row.oid), schema: row.schema, name: row.name }))
}

interface TableRow {
  oid: string
  schema: string
  name: string
  replident: string
  reltuples: string
  pk: string | null
  columns: string | null
}

/** Reads tables by OID; tables dropped meanwhile are simply absent from the result. */
export async function describeTables(
  client: Queryable,
  oids: readonly number[],
): Promise<CatalogTable[]> {
  if (oids.length === 0) return []
  const { rows } = await client.query<TableRow>(
    `select c.oid, n.nspname as schema, c.relname as name, c.relreplident as replident, c.reltuples,
            (select json_agg(a.attname order by k.ord)
               from pg_index i cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
               join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
              where i.indrelid = c.oid and i.indisprimary)::text as pk,
            (select json_agg(json_build_array(a.attname, a.atttypid, a.atttypmod, a.attnotnull, format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid)) order by a.attnum)
               from pg_attribute a
               left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
              where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '')::text as columns
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.oid = any($1::oid[])
      order by n.nspname, c.relname`,
    [oids],
  )
  return rows.map((row) => {
    // json_build_array writes oid values as strings.
    const columns = JSON.parse(row.columns ?? '[]') as
      [string, string, number, boolean, string, string | null][] | null
    const reltuples = Number(row.reltuples)
    return {
      oid: Number(row.oid),
      schema: row.schema,
      name: row.name,
      replicaIdentity: row.replident as ReplicaIdentity,
      primaryKey: row.pk === null ? [] : (JSON.parse(row.pk) as string[]),
      columns: (columns ?? []).map(
        ([name, typeOid, typmod, notNull, typeText, defaultExpression]) => ({
          name,
          typeOid: Number(typeOid),
          typmod,
          notNull,
          typeText,
          defaultExpression,
        }),
      ),
      estimatedRows: reltuples < 0 ? null : reltuples,
    }
  })
}
