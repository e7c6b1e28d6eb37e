import { CdcError } from '../../common/errors.ts'
import { captureTable, isCapturedTable, type CapturedTable } from './captured-table.ts'
import { describeTables } from './catalog.ts'
import type { PostgresConfig } from './config.ts'
import type { RelationMessage } from './pgoutput/messages.ts'
import type { Queryable } from './queryable.ts'
import type { TypeRegistry } from './type-registry.ts'

/**
 * The captured tables as the stream announces them. pgoutput sends a Relation message
 * before a table's first change in a session and again after its schema changed; each one
 * yields a fresh CapturedTable from the message's columns (names, types, modifiers) plus
 * what the message lacks, read from the catalog: nullability and the primary key.
 */
export class RelationTables {
  readonly #tables = new Map<number, CapturedTable | null>()
  readonly #config: PostgresConfig
  readonly #catalog: Queryable
  readonly #types: TypeRegistry
  readonly #database: string

  constructor(config: PostgresConfig, catalog: Queryable, types: TypeRegistry, database: string) {
    this.#config = config
    this.#catalog = catalog
    this.#types = types
    this.#database = database
  }

  async define(relation: RelationMessage): Promise<void> {
    if (!isCapturedTable(this.#config, relation.schema, relation.name)) {
      this.#tables.set(relation.relationId, null)
      return
    }
    // Enum labels may have grown (ALTER TYPE ... ADD VALUE keeps the OID), so re-read them.
    await this.#types.load(
      this.#catalog,
      relation.columns.map((column) => column.typeOid),
      true,
    )
    const [catalog] = await describeTables(this.#catalog, [relation.relationId])
    const catalogColumn = (name: string) => catalog?.columns.find((column) => column.name === name)
    const names = new Set(relation.columns.map((column) => column.name))
    this.#tables.set(
      relation.relationId,
      captureTable(this.#config, this.#types, this.#database, {
        oid: relation.relationId,
        schema: relation.schema,
        name: relation.name,
        replicaIdentity: relation.replicaIdentity,
        primaryKey: (catalog?.primaryKey ?? []).filter((name) => names.has(name)),
        identityColumns: relation.columns
          .filter((column) => column.isKey)
          .map((column) => column.name),
        columns: relation.columns.map((column) => {
          const known = catalogColumn(column.name)
          const sameType = known?.typeOid === column.typeOid && known.typmod === column.typeMod
          return {
            name: column.name,
            typeOid: column.typeOid,
            typmod: column.typeMod,
            // A column whose catalog entry changed since this change was written is taken as nullable.
            notNull: sameType && known.notNull,
            typeText: sameType ? known.typeText : `oid ${column.typeOid}`,
            defaultExpression: sameType ? (known.defaultExpression ?? null) : null,
          }
        }),
      }),
    )
  }

  /** The table of a change: null when not captured; an error when never announced. */
  get(relationId: number): CapturedTable | null {
    const table = this.#tables.get(relationId)
    if (table === undefined) {
      throw new CdcError(
        'CDC_DECODE_INVALID',
        `pgoutput sent a change of relation ${relationId} before its Relation message`,
      )
    }
    return table
  }
}
