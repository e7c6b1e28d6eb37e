import { CdcError } from '../../../common/errors.ts'
import type { ByteReader } from './byte-reader.ts'

/**
 * The status variables of a QUERY event, the ones the server wrote. Fields a row-based CDC
 * stream may need are decoded; the rest are still read so the block is consumed exactly.
 */
export interface QueryStatusVars {
  flags2?: number
  sqlMode?: bigint
  catalog?: string
  autoIncrement?: { increment: number; offset: number }
  /** Collation ids of character_set_client, collation_connection, collation_server. */
  charset?: { client: number; connection: number; server: number }
  timeZone?: string
  lcTimeNames?: number
  charsetDatabase?: number
  tableMapForUpdate?: bigint
  masterDataWritten?: number
  invoker?: { user: string; host: string }
  /** Null when the server wrote "too many databases to list". */
  updatedDbNames?: string[] | null
  microseconds?: number
  explicitDefaultsForTimestamp?: number
  ddlXid?: bigint
  defaultCollationForUtf8mb4?: number
  sqlRequirePrimaryKey?: number
  defaultTableEncryption?: number
  /** MariaDB: microseconds of the statement's start (Q_HRNOW). */
  hrnow?: number
  /** MariaDB: the XID of a DDL logged with one (Q_XID). */
  xid?: bigint
  /** MariaDB: GTID flags_extra of split ALTER (Q_GTID_FLAGS3) and its start-alter sequence. */
  gtidFlags3?: number
  startAlterSequence?: bigint
  /** MariaDB 11.2+: @@character_set_collations as (charset, collation) id pairs. */
  characterSetCollations?: { charset: number; collation: number }[]
}

/** Status variable codes (`Query_event::Query_event_status_vars` and MariaDB additions). */
const Code = {
  FLAGS2: 0,
  SQL_MODE: 1,
  CATALOG: 2,
  AUTO_INCREMENT: 3,
  CHARSET: 4,
  TIME_ZONE: 5,
  CATALOG_NZ: 6,
  LC_TIME_NAMES: 7,
  CHARSET_DATABASE: 8,
  TABLE_MAP_FOR_UPDATE: 9,
  MASTER_DATA_WRITTEN: 10,
  INVOKER: 11,
  UPDATED_DB_NAMES: 12,
  MICROSECONDS: 13,
  EXPLICIT_DEFAULTS_FOR_TIMESTAMP: 16,
  DDL_LOGGED_WITH_XID: 17,
  DEFAULT_COLLATION_FOR_UTF8MB4: 18,
  SQL_REQUIRE_PRIMARY_KEY: 19,
  DEFAULT_TABLE_ENCRYPTION: 20,
  HRNOW: 128,
  XID: 129,
  GTID_FLAGS3: 130,
  CHARACTER_SET_COLLATIONS: 131,
} as const

/** Q_UPDATED_DB_NAMES count meaning "more databases than fit". */
const OVER_MAX_DBS = 254
/** Q_GTID_FLAGS3 bits FL_COMMIT_ALTER_E1 | FL_ROLLBACK_ALTER_E1 add an 8-byte sequence. */
const ALTER_SEQUENCE_FLAGS = 0x04 | 0x08

function shortString(reader: ByteReader, what: string): string {
  return reader.bytes(reader.u8(what), what).toString('utf8')
}

/**
 * Reads the status-variable block. Each variable is a code byte and a code-specific value
 * with no generic length, so an unknown code makes the rest unreadable: that is an error,
 * never a skip (the server might have put something the stream depends on after it).
 */
export function readQueryStatusVars(reader: ByteReader): QueryStatusVars {
  const vars: QueryStatusVars = {}
  while (!reader.atEnd()) {
    const code = reader.u8('a status variable code')
    switch (code) {
      case Code.FLAGS2:
        vars.flags2 = reader.u32('Q_FLAGS2')
        break
      case Code.SQL_MODE:
        vars.sqlMode = reader.u64('Q_SQL_MODE')
        break
      case Code.CATALOG: {
        // MySQL 5.0.0–5.0.3: length, name and a NUL.
        vars.catalog = shortString(reader, 'Q_CATALOG')
        reader.skip(1, 'the NUL after Q_CATALOG')
        break
      }
      case Code.AUTO_INCREMENT:
        vars.autoIncrement = {
          increment: reader.u16('Q_AUTO_INCREMENT'),
          offset: reader.u16('Q_AUTO_INCREMENT'),
        }
        break
      case Code.CHARSET:
        vars.charset = {
          client: reader.u16('Q_CHARSET'),
          connection: reader.u16('Q_CHARSET'),
          server: reader.u16('Q_CHARSET'),
        }
        break
      case Code.TIME_ZONE:
        vars.timeZone = shortString(reader, 'Q_TIME_ZONE')
        break
      case Code.CATALOG_NZ:
        vars.catalog = shortString(reader, 'Q_CATALOG_NZ')
        break
      case Code.LC_TIME_NAMES:
        vars.lcTimeNames = reader.u16('Q_LC_TIME_NAMES')
        break
      case Code.CHARSET_DATABASE:
        vars.charsetDatabase = reader.u16('Q_CHARSET_DATABASE')
        break
      case Code.TABLE_MAP_FOR_UPDATE:
        vars.tableMapForUpdate = reader.u64('Q_TABLE_MAP_FOR_UPDATE')
        break
      case Code.MASTER_DATA_WRITTEN:
        vars.masterDataWritten = reader.u32('Q_MASTER_DATA_WRITTEN')
        break
      case Code.INVOKER:
        vars.invoker = {
          user: shortString(reader, 'Q_INVOKER user'),
          host: shortString(reader, 'Q_INVOKER host'),
        }
        break
      case Code.UPDATED_DB_NAMES: {
        const count = reader.u8('Q_UPDATED_DB_NAMES')
        const names: string[] = []
        if (count !== OVER_MAX_DBS) {
          for (let i = 0; i < count; i++)
            names.push(reader.nulTerminated('Q_UPDATED_DB_NAMES').toString('utf8'))
        }
        vars.updatedDbNames = count === OVER_MAX_DBS ? null : names
        break
      }
      case Code.MICROSECONDS:
        vars.microseconds = reader.u24('Q_MICROSECONDS')
        break
      case Code.EXPLICIT_DEFAULTS_FOR_TIMESTAMP:
        vars.explicitDefaultsForTimestamp = reader.u8('Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP')
        break
      case Code.DDL_LOGGED_WITH_XID:
        vars.ddlXid = reader.u64('Q_DDL_LOGGED_WITH_XID')
        break
      case Code.DEFAULT_COLLATION_FOR_UTF8MB4:
        vars.defaultCollationForUtf8mb4 = reader.u16('Q_DEFAULT_COLLATION_FOR_UTF8MB4')
        break
      case Code.SQL_REQUIRE_PRIMARY_KEY:
        vars.sqlRequirePrimaryKey = reader.u8('Q_SQL_REQUIRE_PRIMARY_KEY')
        break
      case Code.DEFAULT_TABLE_ENCRYPTION:
        vars.defaultTableEncryption = reader.u8('Q_DEFAULT_TABLE_ENCRYPTION')
        break
      case Code.HRNOW:
        vars.hrnow = reader.u24('Q_HRNOW')
        break
      case Code.XID:
        vars.xid = reader.u64('Q_XID')
        break
      case Code.GTID_FLAGS3: {
        const flags = reader.u8('Q_GTID_FLAGS3')
        vars.gtidFlags3 = flags
        if ((flags & ALTER_SEQUENCE_FLAGS) !== 0)
          vars.startAlterSequence = reader.u64('Q_GTID_FLAGS3')
        break
      }
      case Code.CHARACTER_SET_COLLATIONS: {
        const count = reader.u8('Q_CHARACTER_SET_COLLATIONS')
        const pairs: { charset: number; collation: number }[] = []
        for (let i = 0; i < count; i++) {
          pairs.push({
            charset: reader.u16('Q_CHARACTER_SET_COLLATIONS'),
            collation: reader.u16('Q_CHARACTER_SET_COLLATIONS'),
          })
        }
        vars.characterSetCollations = pairs
        break
      }
      default:
        throw new CdcError(
          'CDC_DECODE_INVALID',
          `unknown QUERY status variable code ${code} at offset ${reader.offset - 1} of the status block; the server is newer than this decoder`,
        )
    }
  }
  return vars
}
