import { CdcError, type ErrorCode } from '../common/errors.ts'
import type { Position } from './ports.ts'

/**
 * The position field naming the tables of an ad-hoc snapshot that has not completed, as a
 * JSON list (positions are flat). Positions without it, such as every position written
 * before ad-hoc snapshots existed, have none pending.
 */
export const pendingSnapshotField = 'adhoc_snapshot_tables'

/** The tables of the pending ad-hoc snapshot, or null when none is pending. */
export function pendingSnapshotTables(
  position: Position | null,
  invalidCode: ErrorCode,
): readonly string[] | null {
  const value = position?.[pendingSnapshotField]
  if (value === undefined || value === null) return null
  let tables: unknown = null
  if (typeof value === 'string') {
    try {
      tables = JSON.parse(value)
    } catch {
      tables = null
    }
  }
  if (
    !Array.isArray(tables) ||
    tables.length === 0 ||
    !tables.every((table): table is string => typeof table === 'string' && table !== '')
  ) {
    throw new CdcError(
      invalidCode,
      `stored position field ${pendingSnapshotField} is ${JSON.stringify(value)}, not a JSON list of table names; stop the connector and fix or remove the field with PATCH /connectors/{name}/offsets`,
    )
  }
  return tables
}

/** `position` with `tables` as its pending ad-hoc snapshot, or with none for null. */
export function withPendingSnapshot(
  position: Position,
  tables: readonly string[] | null,
): Position {
  const rest = Object.fromEntries(
    Object.entries(position).filter(([field]) => field !== pendingSnapshotField),
  )
  return tables === null ? rest : { ...rest, [pendingSnapshotField]: JSON.stringify(tables) }
}
