/**
 * The statements each MariaDB binlog fixture is recorded from. `{t}` and `{t2}` stand for
 * fresh unique table names. The expected decode of every case is written by hand in
 * test/fixtures/binlog/mariadb/<name>.json from these statements, not from the decoder.
 */
export interface FixtureCase {
  name: string
  description: string
  /** Session settings run before the statements (not logged). */
  session: string[]
  statements: string[]
}

const nines = (count: number): string => '9'.repeat(count)
const enumMembers = Array.from({ length: 300 }, (_, i) => `'v${i + 1}'`).join(',')
const setMembers = Array.from({ length: 64 }, (_, i) => `'m${i}'`).join(',')

export const fixtureCases: FixtureCase[] = [
  {
    name: 'integers',
    description:
      'every integer type signed and unsigned at min, max, zero, -1 and NULL; BOOLEAN; YEAR',
    session: [],
    statements: [
      `CREATE TABLE {t} (id INT NOT NULL PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, su SMALLINT UNSIGNED, mi MEDIUMINT, mu MEDIUMINT UNSIGNED, ii INT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED, b1 BOOLEAN, y YEAR)`,
      `INSERT INTO {t} VALUES (1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, 0, 1901), (2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615, 1, 2155), (3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL), (4, -1, 128, -1, 32768, -1, 8388608, -1, 2147483648, -1, 9223372036854775808, 1, 0), (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
      `DROP TABLE {t}`,
    ],
  },
  {
    name: 'decimals-floats',
    description: 'DECIMAL of many precisions and scales (65,30 max and negative), FLOAT and DOUBLE',
    session: [],
    statements: [
      `CREATE TABLE {t} (id INT PRIMARY KEY, d65 DECIMAL(65,30), d10 DECIMAL(10,2), d5 DECIMAL(5,0), d9 DECIMAL(9,9), d18 DECIMAL(18,9), du DECIMAL(20,4) UNSIGNED, f FLOAT, dbl DOUBLE)`,
      `INSERT INTO {t} VALUES (1, ${nines(35)}.${nines(30)}, 99999999.99, 99999, 0.999999999, 999999999.999999999, 9999999999999999.9999, 3.14, 2.718281828459045)`,
      `INSERT INTO {t} VALUES (2, -${nines(35)}.${nines(30)}, -99999999.99, -99999, -0.999999999, -999999999.999999999, 0, -3.4028234e38, -1.7976931348623157e308)`,
      `INSERT INTO {t} VALUES (3, -1234.5678, -0.5, 0, 0.000000001, -0.000000001, 0.0001, 1.17549435e-38, 2.2250738585072014e-308)`,
      `INSERT INTO {t} VALUES (4, 12345678901234567890.012345678901234567890123456789, 12345678.9, -1, -0.5, 123456789.123456789, 1234567890123456.789, -0.0001, 1e100)`,
      `INSERT INTO {t} VALUES (5, 0, 0, 0, 0, 0, NULL, 0, NULL)`,
      `DROP TABLE {t}`,
    ],
  },
  {
    name: 'temporal',
    description:
      'DATE, TIME/DATETIME/TIMESTAMP at fsp 0..6 (max, min, negative, zero, partial zero dates), YEAR',
    session: [`SET SESSION sql_mode = ''`, `SET SESSION time_zone = '+00:00'`],
    statements: [
      `CREATE TABLE {t} (id INT PRIMARY KEY, d DATE, t0 TIME, t1 TIME(1), t2 TIME(2), t3 TIME(3), t4 TIME(4), t5 TIME(5), t6 TIME(6), dt0 DATETIME, dt1 DATETIME(1), dt2 DATETIME(2), dt3 DATETIME(3), dt4 DATETIME(4), dt5 DATETIME(5), dt6 DATETIME(6), ts0 TIMESTAMP NULL, ts1 TIMESTAMP(1) NULL, ts2 TIMESTAMP(2) NULL, ts3 TIMESTAMP(3) NULL, ts4 TIMESTAMP(4) NULL, ts5 TIMESTAMP(5) NULL, ts6 TIMESTAMP(6) NULL, y YEAR)`,
      `INSERT INTO {t} VALUES (1, '9999-12-31', '838:59:59', '838:59:59.9', '838:59:59.99', '838:59:59.999', '838:59:59.9999', '838:59:59.99999', '838:59:59.999999', '9999-12-31 23:59:59', '9999-12-31 23:59:59.9', '9999-12-31 23:59:59.99', '9999-12-31 23:59:59.999', '9999-12-31 23:59:59.9999', '9999-12-31 23:59:59.99999', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07', '2038-01-19 03:14:07.9', '2038-01-19 03:14:07.99', '2038-01-19 03:14:07.999', '2038-01-19 03:14:07.9999', '2038-01-19 03:14:07.99999', '2038-01-19 03:14:07.999999', 2155)`,
      `INSERT INTO {t} VALUES (2, '1000-01-01', '-838:59:59', '-838:59:59.9', '-838:59:59.99', '-838:59:59.999', '-838:59:59.9999', '-838:59:59.99999', '-838:59:59.999999', '1000-01-01 00:00:00', '1000-01-01 00:00:00.1', '1000-01-01 00:00:00.01', '1000-01-01 00:00:00.001', '1000-01-01 00:00:00.0001', '1000-01-01 00:00:00.00001', '1000-01-01 00:00:00.000001', '1970-01-01 00:00:01', '1970-01-01 00:00:01.1', '1970-01-01 00:00:01.01', '1970-01-01 00:00:01.001', '1970-01-01 00:00:01.0001', '1970-01-01 00:00:01.00001', '1970-01-01 00:00:01.000001', 1901)`,
      `INSERT INTO {t} VALUES (3, '0000-00-00', '00:00:00', '00:00:00.0', '00:00:00.00', '00:00:00.000', '00:00:00.0000', '00:00:00.00000', '00:00:00.000000', '0000-00-00 00:00:00', '0000-00-00 00:00:00.0', '0000-00-00 00:00:00.00', '0000-00-00 00:00:00.000', '0000-00-00 00:00:00.0000', '0000-00-00 00:00:00.00000', '0000-00-00 00:00:00.000000', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 0)`,
      `INSERT INTO {t} VALUES (4, '2024-02-29', '-00:00:01', '-00:00:00.1', '-00:00:00.01', '-00:00:00.001', '-00:00:00.0001', '-00:00:00.00001', '-00:00:00.000001', '2024-02-29 12:34:56', '2024-02-29 12:34:56.1', '2024-02-29 12:34:56.12', '2024-02-29 12:34:56.123', '2024-02-29 12:34:56.1234', '2024-02-29 12:34:56.12345', '2024-02-29 12:34:56.123456', '2024-02-29 12:34:56', '2024-02-29 12:34:56.1', '2024-02-29 12:34:56.12', '2024-02-29 12:34:56.123', '2024-02-29 12:34:56.1234', '2024-02-29 12:34:56.12345', '2024-02-29 12:34:56.123456', 2000)`,
      `INSERT INTO {t} VALUES (5, '2020-00-15', '-12:34:56', '-00:00:01.5', '-00:59:59.99', '-01:00:00.001', '100:00:00.0001', '-00:00:09.99999', '-01:02:03.000450', '2020-00-00 10:20:30', NULL, NULL, NULL, NULL, NULL, '2001-02-03 04:05:06.000007', NULL, NULL, NULL, NULL, NULL, NULL, '2001-02-03 04:05:06.000007', NULL)`,
      `INSERT INTO {t} (id) VALUES (6)`,
      `DROP TABLE {t}`,
    ],
  },
  {
    name: 'strings',
    description:
      'VARCHAR/CHAR in utf8mb4 (4-byte), latin1 and ascii, 1- and 2-byte length prefixes, the CHAR(>255 bytes) metadata quirk, BINARY with trailing zeros, VARBINARY, empty string vs NULL',
    session: [],
    statements: [
      `CREATE TABLE {t} (id INT PRIMARY KEY, v VARCHAR(20) CHARACTER SET utf8mb4, vl VARCHAR(300) CHARACTER SET utf8mb4, vlat VARCHAR(10) CHARACTER SET latin1, c CHAR(10) CHARACTER SET utf8mb4, cbig CHAR(100) CHARACTER SET utf8mb4, clat CHAR(5) CHARACTER SET latin1, casc CHAR(3) CHARACTER SET ascii, b BINARY(8), vb VARBINARY(10), vb300 VARBINARY(300))`,
      `INSERT INTO {t} VALUES (1, 'héllo 😀', REPEAT('é', 300), 'café', 'ab  ', REPEAT('😀', 100), 'Ünï', 'xyz', 'ab', X'00010000', REPEAT(X'FF', 300))`,
      `INSERT INTO {t} VALUES (2, '', '', '', '', '', '', '', X'0000000000000000', X'', X'')`,
      `INSERT INTO {t} VALUES (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
      `INSERT INTO {t} VALUES (4, ' lead', 'x', 'ÿ', ' a b', 'z', 'é', 'a', X'0102030405060708', X'FF00', X'00')`,
      `DROP TABLE {t}`,
    ],
  },
  {
    name: 'blobs',
    description:
      'TINY/plain/MEDIUM/LONG BLOB and TEXT, empty vs NULL, and a 70 000-byte value (3-byte length)',
    session: [],
    statements: [
      `CREATE TABLE {t} (id INT PRIMARY KEY, tb TINYBLOB, b BLOB, mb MEDIUMBLOB, lb LONGBLOB, tt TINYTEXT CHARACTER SET utf8mb4, tx TEXT CHARACTER SET utf8mb4, mt MEDIUMTEXT CHARACTER SET utf8mb4, lt LONGTEXT CHARACTER SET latin1)`,
      `INSERT INTO {t} VALUES (1, X'00FF', 'blob', X'01', 'long', 'tiny ✓', 'text', 'medium 😀', 'lätin')`,
      `INSERT INTO {t} VALUES (2, '', '', '', '', '', '', '', '')`,
      `INSERT INTO {t} VALUES (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
      `INSERT INTO {t} VALUES (4, REPEAT(X'AB', 255), REPEAT('b', 1000), REPEAT('m', 70000), NULL, REPEAT('t', 255), NULL, NULL, NULL)`,
      `DROP TABLE {t}`,
    ],
  },
  {
    name: 'bit-enum-set',
    description:
      'BIT(1/7/8/9/64), ENUM with 1- and 2-byte indexes and the invalid value, SET with 3 and 64 members',
    session: [`SET SESSION sql_mode = ''`],
    statements: [
      `CREATE TABLE {t} (id INT PRIMARY KEY, b1 BIT(1), b7 BIT(7), b8 BIT(8), b9 BIT(9), b64 BIT(64), e ENUM('a','b,c','ü') CHARACTER SET utf8mb4, e2 ENUM(${enumMembers}) CHARACTER SET latin1, s SET('x','y','z') CHARACTER SET utf8mb4, s64 SET(${setMembers}) CHARACTER SET ascii)`,
      `INSERT INTO {t} VALUES (1, b'1', b'1111111', b'11111111', b'111111111', b'${'1'.repeat(64)}', 'a', 'v1', 'x,z', 'm0,m63')`,
      `INSERT INTO {t} VALUES (2, b'0', b'0000001', b'10000000', b'100000000', X'8000000000000001', 'b,c', 'v300', '', '')`,
      `INSERT INTO {t} VALUES (3, NULL, NULL, NULL, NULL, NULL, 'ü', 'v256', 'x,y,z', 'm1,m2,m31,m32')`,
      `INSERT INTO {t} VALUES (4, 0, 64, 128, 257, 0, 'nope', 'v255', 'y', NULL)`,
      `DROP TABLE {t}`,
    ],
  },
  {
    name: 'json-geometry-uuid',
    description:
      'MariaDB JSON (a LONGTEXT), GEOMETRY/POINT/LINESTRING with SRIDs, UUID, INET6, INET4 (BINARY on the wire, zero bytes stripped)',
    session: [],
    statements: [
      `CREATE TABLE {t} (id INT PRIMARY KEY, j JSON, g GEOMETRY, p POINT, ls LINESTRING, u UUID, i6 INET6, i4 INET4)`,
      `INSERT INTO {t} VALUES (1, '{"a": 1, "b": [true, null, 2.5], "c": "ü"}', ST_GeomFromText('POINT(1 2)'), ST_GeomFromText('POINT(-1.5 2.25)', 4326), ST_GeomFromText('LINESTRING(0 0,1 1)'), '550e8400-e29b-41d4-a716-446655440000', '::ffff:192.168.0.1', '10.0.0.0')`,
      `INSERT INTO {t} VALUES (2, '[]', NULL, NULL, NULL, '00000000-0000-0000-0000-000000000000', '::', '0.0.0.0')`,
      `INSERT INTO {t} VALUES (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
      `INSERT INTO {t} VALUES (4, 'null', NULL, NULL, NULL, '6ccd780c-baba-1026-9564-5b8c656024db', '2001:db8::1', '255.255.255.255')`,
      `DROP TABLE {t}`,
    ],
  },
  {
    name: 'dml',
    description:
      'multi-row INSERT, UPDATE of two rows (before/after), DELETE, ALTER TABLE between row events, a multi-statement transaction, TRUNCATE',
    session: [],
    statements: [
      `CREATE TABLE {t} (id INT PRIMARY KEY, name VARCHAR(20) CHARACTER SET utf8mb4, qty INT)`,
      `INSERT INTO {t} VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30)`,
      `UPDATE {t} SET qty = qty + 1 WHERE id <= 2`,
      `DELETE FROM {t} WHERE id = 3`,
      `ALTER TABLE {t} ADD COLUMN note TEXT CHARACTER SET utf8mb4`,
      `INSERT INTO {t} (id, name, qty, note) VALUES (4, 'd', NULL, 'after alter')`,
      `BEGIN`,
      `UPDATE {t} SET id = 5 WHERE id = 4`,
      `DELETE FROM {t} WHERE id = 1`,
      `COMMIT`,
      `TRUNCATE TABLE {t}`,
      `DROP TABLE {t}`,
    ],
  },
  {
    name: 'minimal-image',
    description:
      'binlog_row_image=MINIMAL for the session: partial before/after images (columns-present bitmaps)',
    session: [`SET SESSION binlog_row_image = 'MINIMAL'`],
    statements: [
      `CREATE TABLE {t} (id INT PRIMARY KEY, a INT, b VARCHAR(10) CHARACTER SET utf8mb4, c INT)`,
      `INSERT INTO {t} (id, a, b) VALUES (1, 10, 'x')`,
      `UPDATE {t} SET b = 'y', c = NULL WHERE id = 1`,
      `DELETE FROM {t} WHERE id = 1`,
      `DROP TABLE {t}`,
    ],
  },
  {
    name: 'keys',
    description: 'primary key with a prefix part, a composite key, a table without a primary key',
    session: [],
    statements: [
      `CREATE TABLE {t} (a INT NOT NULL, b VARCHAR(20) CHARACTER SET utf8mb4 NOT NULL, c INT, PRIMARY KEY (b(5), a))`,
      `CREATE TABLE {t2} (x INT, y INT)`,
      `INSERT INTO {t} VALUES (1, 'hello world', 3)`,
      `INSERT INTO {t2} VALUES (7, NULL)`,
      `DROP TABLE {t}, {t2}`,
    ],
  },
  {
    name: 'compressed-columns',
    description:
      'MariaDB VARCHAR/TEXT/BLOB ... COMPRESSED columns (types 141/140): compressed, stored as is, empty, NULL',
    session: [],
    statements: [
      `CREATE TABLE {t} (id INT PRIMARY KEY, v VARCHAR(1000) CHARACTER SET utf8mb4 COMPRESSED, b BLOB COMPRESSED, s VARCHAR(10) CHARACTER SET utf8mb4 COMPRESSED, tx TEXT CHARACTER SET latin1 COMPRESSED)`,
      `INSERT INTO {t} VALUES (1, REPEAT('a', 500), REPEAT('bc', 300), 'hi', REPEAT('é', 100))`,
      `INSERT INTO {t} VALUES (2, '', '', NULL, 'x')`,
      `DROP TABLE {t}`,
    ],
  },
  {
    name: 'xa',
    description: 'an XA transaction: XA_PREPARE, then XA COMMIT in its own GTID group',
    session: [],
    statements: [
      `CREATE TABLE {t} (id INT PRIMARY KEY)`,
      `XA START '{t}'`,
      `INSERT INTO {t} VALUES (1)`,
      `XA END '{t}'`,
      `XA PREPARE '{t}'`,
      `XA COMMIT '{t}'`,
      `DROP TABLE {t}`,
    ],
  },
]
