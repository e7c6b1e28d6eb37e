import { CdcError } from '../common/errors.ts'
import type { StructSchema } from '../envelope/connect-schema.ts'
import type { JoinInput, RowChangeInput, TombstoneInput } from './change-input.ts'
import { recordName } from './change-input.ts'
import type { CommitPosition } from './commit-position.ts'
import { comparePositions, maxPosition } from './commit-position.ts'
import type { TableStore, TableVersion } from './table-store.ts'
import { compareVersions } from './table-store.ts'
import { keyFieldNames, keyValues, tableKeyText } from './table-key.ts'

/**
 * One table batch turned into the versions to store (rules 5 and 6). Later records of the
 * batch see the earlier ones, through an overlay on the store, before anything is written.
 */

export interface TableBatchPlan {
  versions: TableVersion[]
  appliedPos: CommitPosition | null
  rowSchema: StructSchema | null
  duplicates: number
  ignored: number
  tombstonesApplied: number
  tombstonesIgnored: number
}

export function planTableBatch(
  inputs: readonly JoinInput[],
  store: TableStore,
  startPos: CommitPosition | null,
  foreignKey: readonly string[],
): TableBatchPlan {
  const overlay = new Map<string, TableVersion[]>()
  const plan: TableBatchPlan = {
    versions: [],
    appliedPos: startPos,
    rowSchema: null,
    duplicates: 0,
    ignored: 0,
    tombstonesApplied: 0,
    tombstonesIgnored: 0,
  }
  const add = (version: TableVersion) => {
    const list = overlay.get(version.key) ?? []
    list.push(version)
    list.sort(compareVersions)
    overlay.set(version.key, list)
    plan.versions.push(version)
  }
  const latest = (key: string): TableVersion | undefined => {
    const pending = overlay.get(key)?.at(-1)
    const stored = store.latest(key)
    if (pending === undefined || stored === undefined) return pending ?? stored
    return compareVersions(pending, stored) >= 0 ? pending : stored
  }
  for (const input of inputs) {
    if (input.kind === 'ignored') {
      plan.ignored++
    } else if (input.kind === 'tombstone') {
      const version = tombstoneDelete(latest(keyOf(input, foreignKey)), plan.appliedPos)
      if (version === null) plan.tombstonesIgnored++
      else {
        plan.tombstonesApplied++
        add(version)
      }
    } else {
      plan.appliedPos = maxPosition(plan.appliedPos, input.pos)
      if (input.rowSchema !== null) plan.rowSchema = input.rowSchema
      const key = keyOf(input, foreignKey)
      const pending = overlay.get(key) ?? []
      const duplicate =
        pending.some((v) => !v.fromTombstone && comparePositions(v.pos, input.pos) === 0) ||
        store.has(key, input.pos)
      if (duplicate) plan.duplicates++
      else add(changeVersion(input, key))
    }
  }
  return plan
}

function changeVersion(input: RowChangeInput, key: string): TableVersion {
  return {
    key,
    pos: input.pos,
    fromTombstone: false,
    tsMs: input.tsMs,
    row: input.op === 'd' ? null : input.after,
  }
}

/**
 * A tombstone deletes only a key whose `d` event is missing (compacted away); after a
 * recorded delete, or for a key never seen, it changes nothing.
 */
function tombstoneDelete(
  latest: TableVersion | undefined,
  appliedPos: CommitPosition | null,
): TableVersion | null {
  if (latest === undefined || latest.row === null) return null
  return {
    key: latest.key,
    pos: maxPosition(appliedPos, latest.pos),
    fromTombstone: true,
    tsMs: latest.tsMs,
    row: null,
  }
}

function keyOf(input: RowChangeInput | TombstoneInput, foreignKey: readonly string[]): string {
  if (input.keyValue === null) {
    throw new CdcError(
      'CDC_ENRICH_KEY_MISMATCH',
      `${recordName(input)}: a table record without a key; the joined table needs a primary key ` +
        '(or message.key.columns) so that its changes are keyed',
      { details: { record: recordName(input) } },
    )
  }
  const values = keyValues(input.keyValue, input.keySchema)
  if (values.length !== foreignKey.length) {
    const fields = keyFieldNames(input.keyValue, input.keySchema)
    throw new CdcError(
      'CDC_ENRICH_KEY_MISMATCH',
      `${recordName(input)}: the table key has ${values.length} field(s) (${fields.join(', ')}) but ` +
        `stream.foreign.key names ${foreignKey.length} (${foreignKey.join(', ')}); list one stream ` +
        'column per key field, in key order',
      { details: { record: recordName(input), keyFields: fields, foreignKey } },
    )
  }
  return tableKeyText(values)
}
