import { CdcError } from '../../../common/errors.ts'
import { withColumnDefault } from './column-default.ts'
import type { ColumnMapping, MappingInput, MappingOptions } from './mapping.ts'
import { bitMapping, decimalMapping, floatMapping, integerMapping, yearMapping } from './numeric.ts'
import {
  addressMapping,
  binaryMapping,
  enumMapping,
  geometryMapping,
  jsonMapping,
  setMapping,
  textMapping,
  vectorMapping,
} from './strings.ts'
import { dateMapping, dateTimeMapping, timeMapping, timestampMapping } from './temporal.ts'
import type { ColumnDef } from '../table-def.ts'

type Mapper = (input: MappingInput) => ColumnMapping

const mappers: Readonly<Record<string, Mapper>> = {
  tinyint: integerMapping,
  smallint: integerMapping,
  mediumint: integerMapping,
  int: integerMapping,
  integer: integerMapping,
  bigint: integerMapping,
  decimal: decimalMapping,
  numeric: decimalMapping,
  float: floatMapping,
  double: floatMapping,
  real: floatMapping,
  year: yearMapping,
  bit: bitMapping,
  date: dateMapping,
  datetime: dateTimeMapping,
  timestamp: timestampMapping,
  time: timeMapping,
  char: textMapping,
  varchar: textMapping,
  tinytext: textMapping,
  text: textMapping,
  mediumtext: textMapping,
  longtext: textMapping,
  binary: binaryMapping,
  varbinary: binaryMapping,
  tinyblob: binaryMapping,
  blob: binaryMapping,
  mediumblob: binaryMapping,
  longblob: binaryMapping,
  enum: enumMapping,
  set: setMapping,
  json: jsonMapping,
  uuid: addressMapping,
  inet4: addressMapping,
  inet6: addressMapping,
  geometry: geometryMapping,
  point: geometryMapping,
  linestring: geometryMapping,
  polygon: geometryMapping,
  multipoint: geometryMapping,
  multilinestring: geometryMapping,
  multipolygon: geometryMapping,
  geometrycollection: geometryMapping,
  geomcollection: geometryMapping,
  vector: vectorMapping,
}

/** The Connect schema and converters of one column, as Debezium's MySQL connector maps it. */
export function mapColumn(def: ColumnDef, options: MappingOptions, label: string): ColumnMapping {
  if (def.legacyTemporal && (def.fsp ?? 0) > 0) {
    // The binlog logs these without their precision, so their width cannot be known.
    throw new CdcError(
      'CDC_MYSQL_SCHEMA_MISMATCH',
      `${label} (${def.columnType}) uses MariaDB's pre-10.1 temporal format, which the binlog cannot describe; rebuild the table with ALTER TABLE ... FORCE (with mysql56_temporal_format=ON) or exclude the column with column.exclude.list`,
    )
  }
  const mapper = mappers[def.dataType]
  if (mapper === undefined) {
    throw new CdcError(
      'CDC_ENVELOPE_UNSUPPORTED_TYPE',
      `${label} has type ${def.columnType}, which has no mapping; exclude it with column.exclude.list`,
    )
  }
  return withColumnDefault(mapper({ def, options, label }), def.defaultExpression)
}
