/** Backquoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``
}

export function qualifiedName(database: string, table: string): string {
  return `${quoteIdent(database)}.${quoteIdent(table)}`
}

/** A statement shortened to one line for error messages. */
export function describeSql(sql: string): string {
  const oneLine = sql.replace(/\s+/g, ' ').trim()
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine
}
