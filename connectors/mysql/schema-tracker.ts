import { CdcError } from '../../common/errors.ts'
import type { CaptureSettings, CapturedTable } from './captured-table.ts'
import { captureTable } from './captured-table.ts'
import { describeTables } from './catalog.ts'
import type { Queryable } from './connection.ts'
import type { DdlEffect, TableRef } from './ddl-statement.ts'
import type { TableFilters } from './filters.ts'
import { isCapturedDatabase, isCapturedTable } from './filters.ts'
import type { TableMap } from './protocol/index.ts'
import type { TableChange } from './schema-change.ts'
import type { TableDef } from './table-def.ts'
import { tableKey } from './table-def.ts'
import { decideTableDef, tableMapMisfit } from './table-map-match.ts'

export interface SchemaTrackerOptions {
  /** A connection for information_schema reads (not the dump connection). */
  session: Queryable
  filters: TableFilters
  capture: CaptureSettings
  /** Collation id → charset, for tables described by their table maps. */
  collations: ReadonlyMap<number, string>
  mariadb: boolean
  /** binlog_row_metadata=FULL: said in refusals, since it is the fix. */
  fullRowMetadata: boolean
  warn: (message: string, fields?: Record<string, unknown>) => void
}

export interface DdlOutcome {
  changes: TableChange[]
  truncated: CapturedTable[]
  /** Whether the statement touched anything captured (a captured table or database). */
  captured: boolean
}

/**
 * The captured tables' schemas as the stream goes: read from information_schema at the
 * start and after each DDL, and checked against every table map, which is the binlog's
 * own word on the columns of the rows that follow it.
 */
export class SchemaTracker {
  readonly #options: SchemaTrackerOptions
  readonly #tables = new Map<string, CapturedTable>()
  readonly #byMap = new WeakMap<TableMap, CapturedTable>()
  /** Tables described from table maps (events older than information_schema's view). */
  readonly #fromMaps = new Map<string, CapturedTable>()

  constructor(options: SchemaTrackerOptions) {
    this.#options = options
  }

  /** Reads the named tables from information_schema. */
  async load(names: readonly TableRef[]): Promise<void> {
    const defs = await describeTables(this.#options.session, names, this.#options.mariadb)
    for (const def of defs.values()) this.#remember(def)
  }

  #remember(def: TableDef): CapturedTable {
    const captured = captureTable(this.#options.capture, def)
    this.#tables.set(tableKey(def.database, def.table), captured)
    return captured
  }

  isCaptured(database: string, table: string): boolean {
    return isCapturedTable(this.#options.filters, database, table)
  }

  get(database: string, table: string): CapturedTable | undefined {
    return this.#tables.get(tableKey(database, table))
  }

  tables(): CapturedTable[] {
    return [...this.#tables.values()]
  }

  /** The table a rows event's table map stands for; undefined when it is not captured. */
  forRows(map: TableMap): CapturedTable | undefined {
    return this.#byMap.get(map)
  }

  /**
   * Resolves a TABLE_MAP of a captured table to the schema its rows are decoded with;
   * null when the table is not captured. Throws CDC_MYSQL_SCHEMA_MISMATCH when the rows
   * cannot be decoded safely.
   */
  async onTableMap(map: TableMap): Promise<CapturedTable | null> {
    if (!this.isCaptured(map.database, map.table)) return null
    const captured = await this.#resolve(map)
    this.#byMap.set(map, captured)
    return captured
  }

  async #resolve(map: TableMap): Promise<CapturedTable> {
    const key = tableKey(map.database, map.table)
    const known = this.#tables.get(key)
    if (known !== undefined && tableMapMisfit(map, known.def) === null) return known
    const signature = `${key}|${JSON.stringify(map.columns.map((c) => [c.name, c.type, c.metadata, c.unsigned]))}`
    const described = this.#fromMaps.get(signature)
    if (described !== undefined) return described
    const current =
      (
        await describeTables(
          this.#options.session,
          [{ database: map.database, table: map.table }],
          this.#options.mariadb,
        )
      ).get(key) ?? null
    const decision = decideTableDef(map, current, this.#options.collations)
    if (decision.kind === 'refuse') {
      throw new CdcError(
        'CDC_MYSQL_SCHEMA_MISMATCH',
        `cannot decode rows of ${key}: ${decision.reason}, and the binlog does not name the columns (binlog_row_metadata is not FULL${this.#options.fullRowMetadata ? ' for this event' : ''}), so the rows may belong to an older definition of the table. Set binlog_row_metadata=FULL and take a new snapshot (snapshot.mode=always once), or exclude the table`,
        { details: { table: key } },
      )
    }
    if (decision.def === current) return this.#remember(current)
    this.#options.warn(
      `rows of ${key} are decoded with the columns their binlog table map names, which information_schema no longer shows (a later DDL)`,
      { table: key },
    )
    const captured = captureTable(this.#options.capture, decision.def)
    this.#fromMaps.set(signature, captured)
    return captured
  }

  /**
   * Applies a DDL statement: re-reads changed tables, forgets dropped ones. When the stream
   * is behind, information_schema may already have lost a table the statement made (a
   * later DROP); a renamed table then keeps the definition it had under its old name, and
   * anything else waits for its table map.
   */
  async onDdl(effect: DdlEffect): Promise<DdlOutcome> {
    const { filters } = this.#options
    const outcome: DdlOutcome = { changes: [], truncated: [], captured: false }
    for (const database of effect.databases) {
      if (!isCapturedDatabase(filters, database)) continue
      outcome.captured = true
      if (effect.statement !== 'DROP DATABASE') continue
      for (const table of this.tables().filter((entry) => entry.def.database === database)) {
        this.#tables.delete(tableKey(database, table.def.table))
        outcome.changes.push({ type: 'DROP', def: table.def })
      }
    }
    const renamedFrom = new Map<string, TableDef>()
    effect.dropped.forEach((ref, index) => {
      const known = this.#tables.get(tableKey(ref.database, ref.table))
      const target = effect.changed[index]
      if (effect.statement === 'RENAME TABLE' && known !== undefined && target !== undefined) {
        renamedFrom.set(tableKey(target.database, target.table), {
          ...known.def,
          database: target.database,
          table: target.table,
        })
      }
      if (!this.isCaptured(ref.database, ref.table)) return
      outcome.captured = true
      this.#tables.delete(tableKey(ref.database, ref.table))
      outcome.changes.push({ type: 'DROP', def: known?.def ?? bareTable(ref) })
    })
    const changed = effect.changed.filter((ref) => this.isCaptured(ref.database, ref.table))
    if (changed.length > 0) {
      outcome.captured = true
      const defs = await describeTables(this.#options.session, changed, this.#options.mariadb)
      for (const ref of changed) {
        const key = tableKey(ref.database, ref.table)
        const def = defs.get(key) ?? renamedFrom.get(key)
        if (def === undefined) continue
        const existed = this.#tables.has(key)
        this.#remember(def)
        outcome.changes.push({
          type: existed && effect.statement !== 'CREATE TABLE' ? 'ALTER' : 'CREATE',
          def,
        })
      }
    }
    for (const { database, table } of effect.truncated) {
      const known = this.#tables.get(tableKey(database, table))
      if (known === undefined || !this.isCaptured(database, table)) continue
      outcome.captured = true
      outcome.truncated.push(known)
    }
    return outcome
  }
}

/** A table known by name only (dropped before the connector saw its columns). */
function bareTable(ref: TableRef): TableDef {
  return { ...ref, columns: [], primaryKey: [], defaultCharset: null, estimatedRows: null }
}
