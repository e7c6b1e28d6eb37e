import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseAvroSchema } from '../../../registry/avro-schema.ts'
import {
  checkCompatibility,
  compatibilityLevels,
  isCompatibilityLevel,
  type CompatibilityLevel,
} from '../../../registry/compatibility.ts'
import { changeTable, record } from './change-table.ts'

const parse = (schema: unknown) => parseAvroSchema(JSON.stringify(schema))

function verdict(level: CompatibilityLevel, candidate: unknown, ...previousNewestFirst: unknown[]) {
  const previous = previousNewestFirst.map((schema, index) => ({
    version: previousNewestFirst.length - index,
    schema: parse(schema),
  }))
  return checkCompatibility(level, parse(candidate), previous)
}

describe('registry/compatibility', () => {
  for (const row of changeTable) {
    it(`${row.change}: BACKWARD ${mark(row.backward)} FORWARD ${mark(row.forward)} FULL ${mark(row.full)}`, () => {
      const expected: Record<CompatibilityLevel, boolean> = {
        NONE: true,
        BACKWARD: row.backward,
        BACKWARD_TRANSITIVE: row.backward,
        FORWARD: row.forward,
        FORWARD_TRANSITIVE: row.forward,
        FULL: row.full,
        FULL_TRANSITIVE: row.full,
      }
      for (const level of compatibilityLevels) {
        const result = verdict(level, row.next, row.previous)
        assert.equal(result.compatible, expected[level], `${level}: ${result.reasons.join('; ')}`)
        assert.equal(
          result.reasons.length === 0,
          expected[level],
          `${level} gives reasons exactly when incompatible`,
        )
      }
    })
  }

  it('checks only the latest version unless the level is transitive', () => {
    // v1 has a as int, v2 dropped it, the candidate brings it back as a string.
    const v1 = record([{ name: 'a', type: 'int' }])
    const v2 = record([])
    const candidate = record([{ name: 'a', type: 'string', default: '' }])
    assert.equal(verdict('BACKWARD', candidate, v2, v1).compatible, true)
    const transitive = verdict('BACKWARD_TRANSITIVE', candidate, v2, v1)
    assert.equal(transitive.compatible, false)
    assert.match(
      transitive.reasons[0] ?? '',
      /BACKWARD_TRANSITIVE: the new schema cannot read data written with version 1: cannot read "int" as "string"/,
    )
  })

  it('FORWARD_TRANSITIVE and FULL_TRANSITIVE also reach back past the latest version', () => {
    const v1 = record([{ name: 'a', type: 'string', default: '' }])
    const v2 = record([])
    const candidate = record([{ name: 'a', type: 'int' }])
    assert.equal(verdict('FORWARD', candidate, v2, v1).compatible, true)
    const forward = verdict('FORWARD_TRANSITIVE', candidate, v2, v1)
    assert.equal(forward.compatible, false)
    assert.match(forward.reasons[0] ?? '', /version 1 cannot read data written with the new schema/)
    assert.equal(verdict('FULL_TRANSITIVE', candidate, v2, v1).compatible, false)
  })

  it('goes newest first and stops at the first version that fails', () => {
    const v1 = record([{ name: 'a', type: 'int' }])
    const v2 = record([{ name: 'a', type: 'long' }])
    const candidate = record([{ name: 'a', type: 'boolean' }])
    const result = verdict('BACKWARD_TRANSITIVE', candidate, v2, v1)
    assert.equal(result.reasons.length, 1)
    assert.match(result.reasons[0] ?? '', /version 2/)
  })

  it('gives one reason per failed direction under FULL', () => {
    const previous = record([{ name: 'a', type: 'int' }])
    const next = record([{ name: 'a', type: 'string' }])
    const result = verdict('FULL', next, previous)
    assert.equal(result.reasons.length, 2)
    assert.match(result.reasons[0] ?? '', /new schema cannot read data written with version 1/)
    assert.match(result.reasons[1] ?? '', /version 1 cannot read data written with the new schema/)
  })

  it('is compatible with nothing to compare against, and says why a named type does not match', () => {
    assert.equal(verdict('FULL_TRANSITIVE', record([])).compatible, true)
    const enumOf = (symbols: string[]) =>
      record([{ name: 'e', type: { type: 'enum', name: 'E', symbols } }])
    const result = verdict('BACKWARD', enumOf(['A']), enumOf(['A', 'B']))
    assert.match(result.reasons[0] ?? '', /lacks an enum symbol the writer has/)
  })

  it('says what fails inside a union, as a Debezium envelope nests the row in ["null", Value]', () => {
    const envelope = (fields: unknown[]) => ({
      type: 'record',
      name: 'Envelope',
      namespace: 'shop.items',
      fields: [
        {
          name: 'after',
          type: ['null', { type: 'record', name: 'Value', fields }],
          default: null,
        },
      ],
    })
    const result = verdict(
      'BACKWARD',
      envelope([
        { name: 'id', type: 'int' },
        { name: 'label', type: 'string' },
      ]),
      envelope([{ name: 'id', type: 'int' }]),
    )
    assert.equal(result.compatible, false)
    assert.match(result.reasons[0] ?? '', /shop\.items\.Value: .*label/)
  })

  it('knows exactly the seven Confluent levels', () => {
    assert.equal(compatibilityLevels.length, 7)
    assert.ok(isCompatibilityLevel('FULL_TRANSITIVE'))
    assert.ok(!isCompatibilityLevel('full'))
    assert.ok(!isCompatibilityLevel(undefined))
  })
})

function mark(ok: boolean): string {
  return ok ? 'yes' : 'no'
}
