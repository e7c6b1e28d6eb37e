import { CdcError } from '../../../common/errors.ts'
import type { ConnectValue } from '../../../envelope/connect-schema.ts'
import * as semantic from '../../../envelope/semantic-types.ts'
import { parseArrayText } from './array-text.ts'
import * as numeric from './numeric-mappings.ts'
import type { PgType, TypeLookup } from './pg-type.ts'
import * as temporal from './temporal-mappings.ts'
import * as text from './text-mappings.ts'
import {
  primitive,
  textMapping,
  unavailableBytes,
  unavailablePlaceholder,
  type MappingOptions,
  type ValueMapping,
} from './value-mapping.ts'

export type { MappingOptions, ValueMapping } from './value-mapping.ts'

/** Built-in types by name; everything in pg_catalog not listed here is captured as text. */
function builtin(
  type: PgType,
  typmod: number,
  optional: boolean,
  options: MappingOptions,
  column: string,
): ValueMapping | undefined {
  switch (type.name) {
    case 'bool':
      return numeric.bool(optional)
    case 'int2':
      return numeric.int2(optional)
    case 'int4':
      return numeric.int4(optional)
    case 'int8':
    case 'oid':
      return numeric.int8(optional)
    case 'float4':
      return numeric.float('float32', optional)
    case 'float8':
      return numeric.float('float64', optional)
    case 'numeric':
      return numeric.numeric(typmod, optional, options, column)
    case 'money':
      return numeric.money(optional, options)
    case 'date':
      return temporal.date(optional, options)
    case 'time':
      return temporal.time(typmod, optional, options)
    case 'timetz':
      return temporal.timetz(optional)
    case 'timestamp':
      return temporal.timestamp(typmod, optional, options)
    case 'timestamptz':
      return temporal.timestamptz(typmod, optional)
    case 'interval':
      return temporal.interval(optional)
    case 'bytea':
      return text.bytea(optional)
    case 'uuid':
      return text.semanticText(semantic.uuid({ optional }))
    case 'json':
    case 'jsonb':
      return text.semanticText(semantic.json({ optional }))
    case 'xml':
      return text.semanticText(semantic.xml({ optional }))
    case 'bit':
    case 'varbit':
      return text.bits(typmod, optional)
    case 'tsvector':
      return text.tsvector(optional)
    case 'point':
      return text.point(optional)
    default:
      return undefined
  }
}

/** Extension types, recognised by name in whatever schema the extension lives. */
function extension(type: PgType, optional: boolean): ValueMapping | undefined {
  switch (type.name) {
    case 'hstore':
      return text.hstore(optional)
    case 'ltree':
      return text.semanticText(semantic.ltree({ optional }))
    default:
      return undefined
  }
}

/** Unchanged-TOAST placeholders of array columns, as Debezium's UnchangedToastedPlaceholder. */
function arrayPlaceholder(element: PgType): ConnectValue | null {
  switch (element.name) {
    case 'int2':
    case 'int4':
      return [...unavailableBytes]
    case 'int8':
      return [...unavailableBytes].map(BigInt)
    case 'bytea':
      return [unavailableBytes]
    case 'uuid':
      return [text.nameUuidFromBytes(unavailableBytes)]
    default:
      return [unavailablePlaceholder]
  }
}

function array(
  types: TypeLookup,
  type: PgType,
  typmod: number,
  optional: boolean,
  options: MappingOptions,
  column: string,
): ValueMapping {
  const elementType = types.get(type.elementOid)
  const element = mapType(types, type.elementOid, typmod, true, options, column)
  // Debezium builds enum array items without .optional().
  const items =
    elementType.typtype === 'e' ? { ...element.schema, optional: false } : element.schema
  return {
    schema: { type: 'array', optional, items },
    convert: (value) =>
      parseArrayText(value, type.delimiter).map((item) =>
        item === null ? null : element.convert(item),
      ),
    fallback: [],
    unavailable: arrayPlaceholder(elementType),
  }
}

/**
 * The Connect schema and converter for a column of type `oid` with modifier `typmod`, as
 * Debezium's PostgresValueConverter maps it. Domains map as their base type, arrays as
 * arrays of their element's mapping. Types without a Debezium schema of their own (inet,
 * ranges, geometric types other than point, composites, unknown base types) are text.
 */
export function mapType(
  types: TypeLookup,
  oid: number,
  typmod: number,
  optional: boolean,
  options: MappingOptions,
  column: string,
): ValueMapping {
  const type = types.get(oid)
  if (type.typtype === 'd') {
    return mapType(
      types,
      type.baseOid,
      typmod >= 0 ? typmod : type.baseTypmod,
      optional,
      options,
      column,
    )
  }
  if (type.elementOid !== 0) return array(types, type, typmod, optional, options, column)
  if (type.typtype === 'e') return text.enumeration(type.labels, optional)
  if (type.typtype === 'p') {
    throw new CdcError(
      'CDC_ENVELOPE_UNSUPPORTED_TYPE',
      `column ${column} has pseudo-type ${type.name}, which has no mapping; exclude it with column.exclude.list`,
    )
  }
  const known =
    (type.schema === 'pg_catalog' ? builtin(type, typmod, optional, options, column) : undefined) ??
    extension(type, optional)
  return known ?? textMapping(primitive('string', optional))
}
