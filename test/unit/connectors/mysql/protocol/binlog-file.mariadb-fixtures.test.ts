// Decodes the binlogs recorded from the real MariaDB (scripts/capture-binlog-fixtures.ts)
// and compares with expectations written by hand from the statements that produced them.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { readBinlogFile } from '../../../../../connectors/mysql/protocol/binlog-file.ts'
import type { BinlogEvent, RowImage } from '../../../../../connectors/mysql/protocol/events.ts'
import type { TableMap } from '../../../../../connectors/mysql/protocol/table-map.ts'
import type { ColumnHint } from './canonical.ts'
import { columnText, eventText, valueText } from './canonical.ts'

const dir = new URL('../../../../fixtures/binlog/mariadb/', import.meta.url)

interface Expected {
  events: string[]
  tableMaps: { table: string; columns: string[]; primaryKey: [number, number][] | null }[]
  hints?: Record<string, ColumnHint>
  changes: {
    table: string
    action: string
    before?: Record<string, string | null>
    after?: Record<string, string | null>
  }[]
}

interface Capture {
  tables: Record<string, string>
}

function load(name: string): {
  events: BinlogEvent[]
  expected: Expected
  rename: (s: string) => string
} {
  const capture = JSON.parse(readFileSync(new URL(`${name}.capture.json`, dir), 'utf8')) as Capture
  const expected = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as Expected
  const events = [
    ...readBinlogFile(readFileSync(new URL(`${name}.bin`, dir)), { file: `${name}.bin` }),
  ]
  const rename = (text: string): string => {
    let out = text
    for (const [placeholder, real] of Object.entries(capture.tables)) {
      const hex = Buffer.from(real).toString('hex')
      out = out.replaceAll(real, placeholder).replaceAll(hex, placeholder.replace('}', ':hex}'))
    }
    return out
  }
  return { events, expected, rename }
}

function imageObject(image: RowImage, table: TableMap, hints: Record<string, ColumnHint>) {
  const row: Record<string, string | null> = {}
  for (const column of table.columns) {
    const value = image[column.index]
    if (value === undefined) continue
    const name = column.name ?? `@${column.index}`
    row[name] = valueText(value, column, hints[name])
  }
  return row
}

const cases = readdirSync(dir)
  .filter((file) => file.endsWith('.capture.json'))
  .map((file) => file.slice(0, -'.capture.json'.length))
  .sort()

describe('MariaDB 10.11 binlog fixtures', () => {
  it('has the recorded cases', () => {
    assert.ok(cases.length >= 12, `only ${cases.length} cases in ${dir.pathname}`)
  })

  for (const name of cases) {
    describe(name, () => {
      let loaded: ReturnType<typeof load> | undefined
      const get = (): ReturnType<typeof load> => (loaded ??= load(name))

      it('decodes the event sequence', () => {
        const { events, expected, rename } = get()
        assert.deepEqual(
          events.map((event) => eventText(event, rename)),
          expected.events,
        )
      })

      it('decodes every table map', () => {
        const { events, expected, rename } = get()
        const maps: Expected['tableMaps'] = []
        const seen = new Set<string>()
        for (const event of events) {
          if (event.kind !== 'tableMap') continue
          const map = event.tableMap
          const entry = {
            table: rename(map.table),
            columns: map.columns.map((column) => columnText(column)),
            primaryKey: map.primaryKey?.map((p): [number, number] => [p.column, p.prefix]) ?? null,
          }
          const key = JSON.stringify(entry)
          if (!seen.has(key)) maps.push(entry)
          seen.add(key)
        }
        assert.deepEqual(maps, expected.tableMaps)
      })

      it('decodes every row', () => {
        const { events, expected, rename } = get()
        const changes: Expected['changes'] = []
        const hints = expected.hints ?? {}
        for (const event of events) {
          if (event.kind !== 'rows') continue
          for (const row of event.rows) {
            const change: Expected['changes'][number] = {
              table: rename(event.table.table),
              action: event.action,
            }
            if (row.before !== null) change.before = imageObject(row.before, event.table, hints)
            if (row.after !== null) change.after = imageObject(row.after, event.table, hints)
            changes.push(change)
          }
        }
        assert.deepEqual(changes, expected.changes)
      })
    })
  }
})
