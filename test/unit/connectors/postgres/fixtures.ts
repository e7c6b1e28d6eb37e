import { readFileSync } from 'node:fs'
import type { PgType, TypeLookup } from '../../../../connectors/postgres/type-mapping/pg-type.ts'

export interface PgoutputFixture {
  description: string
  schema: string
  table: string
  types?: {
    oid: string
    schema: string
    name: string
    typtype: string
    element: string
    delimiter: string
    base: string
    base_typmod: string
    labels: string
  }[]
  messages: { lsn: string; hex: string }[]
}

/** A recording made by test/fixtures/pgoutput/record.ts against PostgreSQL 15. */
export function loadFixture(name: string): PgoutputFixture {
  const url = new URL(`../../../fixtures/pgoutput/15/${name}.json`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as PgoutputFixture
}

export function payloads(fixture: PgoutputFixture): Uint8Array[] {
  return fixture.messages.map((message) => new Uint8Array(Buffer.from(message.hex, 'hex')))
}

/** The pg_type rows recorded with a fixture, as the type registry would load them. */
export function fixtureTypes(fixture: PgoutputFixture): TypeLookup {
  const types = new Map<number, PgType>()
  for (const row of fixture.types ?? []) {
    types.set(Number(row.oid), {
      oid: Number(row.oid),
      schema: row.schema,
      name: row.name,
      typtype: row.typtype,
      elementOid: Number(row.element),
      delimiter: row.delimiter,
      baseOid: Number(row.base),
      baseTypmod: Number(row.base_typmod),
      labels: JSON.parse(row.labels) as string[],
    })
  }
  return {
    get(oid) {
      const type = types.get(oid)
      if (type === undefined) throw new Error(`no recorded type ${oid}`)
      return type
    },
  }
}
