import { CdcError } from '../../../common/errors.ts'
import type { ByteReader } from './byte-reader.ts'
import { ColumnType, isCharacterType, isEnumOrSetType, isNumericType } from './column-types.ts'
import type { ColumnInfo, PrimaryKeyPart, TableMap, UnknownMetadata } from './table-map.ts'

/** Optional metadata field types (`Table_map_log_event::Optional_metadata_field_type`). */
const Field = {
  SIGNEDNESS: 1,
  DEFAULT_CHARSET: 2,
  COLUMN_CHARSET: 3,
  COLUMN_NAME: 4,
  SET_STR_VALUE: 5,
  ENUM_STR_VALUE: 6,
  GEOMETRY_TYPE: 7,
  SIMPLE_PRIMARY_KEY: 8,
  PRIMARY_KEY_WITH_PREFIX: 9,
  ENUM_AND_SET_DEFAULT_CHARSET: 10,
  ENUM_AND_SET_COLUMN_CHARSET: 11,
  COLUMN_VISIBILITY: 12,
  VECTOR_DIMENSIONALITY: 13,
} as const

function invalid(message: string): CdcError {
  return new CdcError('CDC_DECODE_INVALID', `table map optional metadata: ${message}`)
}

/** Bitmaps in optional metadata run most significant bit first, unlike the row bitmaps. */
function msbBits(reader: ByteReader, count: number, what: string): boolean[] {
  const bytes = reader.bytes(Math.ceil(count / 8), what)
  const bits: boolean[] = []
  for (let i = 0; i < count; i++) bits.push(((bytes.readUInt8(i >>> 3) << (i & 7)) & 0x80) !== 0)
  return bits
}

function lenencList(reader: ByteReader, what: string): number[] {
  const values: number[] = []
  while (!reader.atEnd()) values.push(reader.lenenc(what))
  return values
}

function assignEach<T>(
  targets: ColumnInfo[],
  values: T[],
  what: string,
  set: (c: ColumnInfo, v: T) => void,
): void {
  if (values.length !== targets.length) {
    throw invalid(`${what} has ${values.length} entries for ${targets.length} columns`)
  }
  targets.forEach((column, i) => {
    set(column, values[i] as T)
  })
}

/** DEFAULT_CHARSET-style fields: a default collation, then (index, collation) exceptions. */
function applyDefaultCollation(reader: ByteReader, targets: ColumnInfo[], what: string): void {
  const fallback = reader.lenenc(what)
  for (const column of targets) column.collation = fallback
  while (!reader.atEnd()) {
    const index = reader.lenenc(what)
    const collation = reader.lenenc(what)
    const column = targets[index]
    if (column === undefined) throw invalid(`${what} names column ${index} of ${targets.length}`)
    column.collation = collation
  }
}

function readStringLists(reader: ByteReader): Buffer[][] {
  const lists: Buffer[][] = []
  while (!reader.atEnd()) {
    const count = reader.lenenc('a literal count')
    const list: Buffer[] = []
    for (let i = 0; i < count; i++)
      list.push(reader.bytes(reader.lenenc('a literal length'), 'a literal'))
    lists.push(list)
  }
  return lists
}

/**
 * Reads the optional metadata TLVs (u8 type, lenenc length, value) that follow the
 * nullability bitmap when binlog_row_metadata is MINIMAL or FULL, into the columns.
 */
export function applyOptionalMetadata(
  map: TableMap,
  columns: ColumnInfo[],
  body: ByteReader,
  mariadb: boolean,
): TableMap {
  let primaryKey: PrimaryKeyPart[] | null = null
  const unknown: UnknownMetadata[] = []
  const numeric = columns.filter((c) => isNumericType(c.realType))
  const character = columns.filter((c) => isCharacterType(c.realType, mariadb))
  const enumOrSet = columns.filter((c) => isEnumOrSetType(c.realType))
  const ofType = (type: number): ColumnInfo[] => columns.filter((c) => c.realType === type)

  while (!body.atEnd()) {
    const type = body.u8('an optional metadata type')
    const field = body.sub(body.lenenc('an optional metadata length'), 'an optional metadata field')
    switch (type) {
      case Field.SIGNEDNESS:
        assignEach(numeric, msbBits(field, numeric.length, 'SIGNEDNESS'), 'SIGNEDNESS', (c, v) => {
          c.unsigned = v
        })
        break
      case Field.DEFAULT_CHARSET:
        applyDefaultCollation(field, character, 'DEFAULT_CHARSET')
        break
      case Field.COLUMN_CHARSET:
        assignEach(character, lenencList(field, 'COLUMN_CHARSET'), 'COLUMN_CHARSET', (c, v) => {
          c.collation = v
        })
        break
      case Field.COLUMN_NAME: {
        const names: string[] = []
        while (!field.atEnd())
          names.push(field.bytes(field.lenenc('a column name length')).toString('utf8'))
        assignEach(columns, names, 'COLUMN_NAME', (c, v) => {
          c.name = v
        })
        break
      }
      case Field.SET_STR_VALUE:
        assignEach(ofType(ColumnType.SET), readStringLists(field), 'SET_STR_VALUE', (c, v) => {
          c.setValues = v
        })
        break
      case Field.ENUM_STR_VALUE:
        assignEach(ofType(ColumnType.ENUM), readStringLists(field), 'ENUM_STR_VALUE', (c, v) => {
          c.enumValues = v
        })
        break
      case Field.GEOMETRY_TYPE:
        assignEach(
          ofType(ColumnType.GEOMETRY),
          lenencList(field, 'GEOMETRY_TYPE'),
          'GEOMETRY_TYPE',
          (c, v) => {
            c.geometryType = v
          },
        )
        break
      case Field.SIMPLE_PRIMARY_KEY:
        primaryKey = lenencList(field, 'SIMPLE_PRIMARY_KEY').map((column) => ({
          column,
          prefix: 0,
        }))
        break
      case Field.PRIMARY_KEY_WITH_PREFIX: {
        primaryKey = []
        while (!field.atEnd()) {
          const column = field.lenenc('a primary key column')
          primaryKey.push({ column, prefix: field.lenenc('a primary key prefix') })
        }
        break
      }
      case Field.ENUM_AND_SET_DEFAULT_CHARSET:
        applyDefaultCollation(field, enumOrSet, 'ENUM_AND_SET_DEFAULT_CHARSET')
        break
      case Field.ENUM_AND_SET_COLUMN_CHARSET:
        assignEach(
          enumOrSet,
          lenencList(field, 'ENUM_AND_SET_COLUMN_CHARSET'),
          'ENUM_AND_SET_COLUMN_CHARSET',
          (c, v) => {
            c.collation = v
          },
        )
        break
      case Field.COLUMN_VISIBILITY:
        assignEach(
          columns,
          msbBits(field, columns.length, 'COLUMN_VISIBILITY'),
          'COLUMN_VISIBILITY',
          (c, v) => {
            c.visible = v
          },
        )
        break
      case Field.VECTOR_DIMENSIONALITY:
        assignEach(
          ofType(ColumnType.VECTOR),
          lenencList(field, 'VECTOR_DIMENSIONALITY'),
          'VECTOR_DIMENSIONALITY',
          (c, v) => {
            c.vectorDimensions = v
          },
        )
        break
      default:
        unknown.push({ type, value: field.rest() })
    }
    field.expectEnd(`optional metadata field ${type}`)
  }
  for (const part of primaryKey ?? []) {
    if (part.column >= columns.length) {
      throw invalid(`the primary key names column ${part.column} of ${columns.length}`)
    }
  }
  return { ...map, primaryKey, unknownMetadata: unknown }
}
