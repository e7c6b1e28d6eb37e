import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  EventType,
  eventTypeLabel,
  eventTypeName,
} from '../../../../../connectors/mysql/protocol/event-types.ts'
import {
  ColumnType,
  columnTypeName,
  isCharacterType,
  isNumericType,
} from '../../../../../connectors/mysql/protocol/column-types.ts'

describe('type codes', () => {
  it('has one name per event code, MySQL and MariaDB', () => {
    const codes = Object.values(EventType)
    assert.equal(new Set(codes).size, codes.length)
    assert.equal(eventTypeName(166), 'WRITE_ROWS_COMPRESSED_EVENT_V1')
    assert.equal(eventTypeName(171), 'DELETE_ROWS_COMPRESSED_EVENT')
    assert.equal(eventTypeName(41), 'HEARTBEAT_LOG_EVENT_V2')
    assert.equal(eventTypeName(99), undefined)
    assert.equal(eventTypeLabel(30), 'WRITE_ROWS_EVENT (30)')
    assert.equal(eventTypeLabel(99), 'event type 99')
  })

  it('counts YEAR as numeric for SIGNEDNESS, and GEOMETRY as a character column only on MariaDB', () => {
    assert.ok(isNumericType(ColumnType.YEAR))
    assert.ok(!isNumericType(ColumnType.BIT))
    assert.ok(isCharacterType(ColumnType.GEOMETRY, true))
    assert.ok(!isCharacterType(ColumnType.GEOMETRY, false))
    assert.ok(!isCharacterType(ColumnType.JSON, false))
    assert.ok(!isCharacterType(ColumnType.ENUM, true))
    assert.equal(columnTypeName(246), 'NEWDECIMAL')
    assert.equal(columnTypeName(200), 'type 200')
  })
})
