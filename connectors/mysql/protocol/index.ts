// The binlog decoder's public surface: the MySQL connector imports from here only.
export { BinlogDecoder } from './binlog-decoder.ts'
export type { BinlogDecoderOptions } from './binlog-decoder.ts'
export { BINLOG_MAGIC, readBinlogFile, splitBinlogFile } from './binlog-file.ts'
export type { RawBinlogEvent } from './binlog-file.ts'
export { formatInet4, formatInet6, formatMariadbUuid, padBinary } from './binary-padding.ts'
export { ColumnType, columnTypeName } from './column-types.ts'
export type { ColumnValue, GeometryValue, JsonColumnValue } from './column-value.ts'
export { EventFlag, EventType, eventTypeLabel, eventTypeName } from './event-types.ts'
export type { EventTypeName } from './event-types.ts'
export type * from './events.ts'
export { decodeJsonBinary } from './json-binary.ts'
export type { JsonNode, JsonObject, JsonOpaque } from './json-binary.ts'
export { jsonToText } from './json-text.ts'
export type { QueryStatusVars } from './query-status-vars.ts'
export type { ColumnInfo, PrimaryKeyPart, TableMap, UnknownMetadata } from './table-map.ts'
export { formatDate, formatDateTime, formatTime, formatTimestamp } from './temporal.ts'
export type {
  MysqlDate,
  MysqlDateTime,
  MysqlTemporal,
  MysqlTime,
  MysqlTimestamp,
} from './temporal.ts'
