import { CdcError } from '../../common/errors.ts'
import type { Queryable } from './queryable.ts'
import type { PgType, TypeLookup } from './type-mapping/pg-type.ts'

interface TypeRow {
  oid: string
  schema: string
  name: string
  typtype: string
  element: string
  delimiter: string
  base: string
  base_typmod: string
  labels: string | null
}

/**
 * pg_type rows by OID, loaded on demand with what they refer to (array elements, domain
 * bases). Types are read from the catalog, not from pgoutput's Type messages, which carry
 * neither enum labels nor domain bases.
 */
export class TypeRegistry implements TypeLookup {
  readonly #types = new Map<number, PgType>()

  get(oid: number): PgType {
    const type = this.#types.get(oid)
    if (type === undefined) {
      throw new CdcError(
        'CDC_ENVELOPE_UNSUPPORTED_TYPE',
        `type OID ${oid} was not loaded from pg_type before use`,
      )
    }
    return type
  }

  has(oid: number): boolean {
    return this.#types.has(oid)
  }

  /** Loads these OIDs and everything they depend on; `refresh` re-reads them (enum labels). */
  async load(client: Queryable, oids: Iterable<number>, refresh = false): Promise<void> {
    let missing = [...new Set(oids)].filter((oid) => refresh || !this.#types.has(oid))
    while (missing.length > 0) {
      const { rows } = await client.query<TypeRow>(
        `select t.oid, n.nspname as schema, t.typname as name, t.typtype,
                case when t.typcategory = 'A' then t.typelem else 0 end as element, t.typdelim as delimiter,
                t.typbasetype as base, t.typtypmod as base_typmod,
                (select json_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid)::text as labels
           from pg_type t join pg_namespace n on n.oid = t.typnamespace
          where t.oid = any($1::oid[])`,
        [missing],
      )
      const next = new Set<number>()
      for (const row of rows) {
        const type: PgType = {
          oid: Number(row.oid),
          schema: row.schema,
          name: row.name,
          typtype: row.typtype,
          elementOid: Number(row.element),
          delimiter: row.delimiter,
          baseOid: Number(row.base),
          baseTypmod: Number(row.base_typmod),
          labels: row.labels === null ? [] : (JSON.parse(row.labels) as string[]),
        }
        this.#types.set(type.oid, type)
        for (const dependency of [type.elementOid, type.baseOid]) {
          if (dependency !== 0 && !this.#types.has(dependency)) next.add(dependency)
        }
      }
      const unknown = missing.filter((oid) => !this.#types.has(oid))
      if (unknown.length > 0) {
        throw new CdcError(
          'CDC_ENVELOPE_UNSUPPORTED_TYPE',
          `types ${unknown.join(', ')} are not in pg_type (dropped while in use?)`,
        )
      }
      missing = [...next]
    }
  }
}
