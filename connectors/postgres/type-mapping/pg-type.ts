/** A row of pg_type as the type mapping needs it. */
export interface PgType {
  oid: number
  schema: string
  name: string
  /**
   * b base, c composite, d domain, e enum, p pseudo, r range, m multirange; arrays are base
   * types whose `elementOid` is set.
   */
  typtype: string
  /** Element type of an array type (typelem with typcategory A), else 0. */
  elementOid: number
  /** Array element delimiter (`,`, or `;` for box). */
  delimiter: string
  /** Base type of a domain, else 0. */
  baseOid: number
  /** Type modifier a domain applies to its base type, else -1. */
  baseTypmod: number
  /** Enum labels in enumsortorder. */
  labels: readonly string[]
}

export interface TypeLookup {
  /** Throws when the type was not loaded; callers load every OID they meet first. */
  get(oid: number): PgType
}

/** Column precision from an atttypmod: numeric(p,s), time(p), varchar(n), bit(n). */
export function numericPrecision(typmod: number): { precision: number; scale: number } | null {
  if (typmod < 4) return null
  const packed = typmod - 4
  return { precision: (packed >> 16) & 0xffff, scale: packed & 0xffff }
}

/** Fractional second digits of time/timestamp(tz)(p); unspecified is 6. */
export function timePrecision(typmod: number): number {
  return typmod < 0 ? 6 : typmod
}
