/**
 * Which tables a DDL statement in a QUERY event changes, read with a small tokenizer
 * rather than a SQL grammar: the connector re-reads changed tables from information_schema
 * (and the next table map confirms them), so it only needs the statement's kind and names.
 */

export interface TableRef {
  database: string
  table: string
}

export interface DdlEffect {
  /** The statement's leading keywords, e.g. `ALTER TABLE`, `RENAME TABLE`, `DROP DATABASE`. */
  statement: string
  /** Tables that exist afterwards with a (possibly) new definition: created, altered, renamed to. */
  changed: TableRef[]
  /** Tables gone afterwards: dropped, or renamed away. */
  dropped: TableRef[]
  /** Tables emptied by TRUNCATE. */
  truncated: TableRef[]
  /** Databases created, altered or dropped. */
  databases: string[]
}

type Token =
  { kind: 'word'; text: string } | { kind: 'name'; text: string } | { kind: 'punct'; text: string }

/** Splits a statement into words, quoted names and punctuation; strings and comments are dropped. */
export function tokenize(sql: string, ansiQuotes = false): Token[] {
  const tokens: Token[] = []
  let index = 0
  const length = sql.length
  while (index < length) {
    const char = sql.charAt(index)
    const next = sql.charAt(index + 1)
    if (/\s/.test(char)) {
      index++
    } else if (char === '#' || (char === '-' && next === '-' && /\s/.test(sql.charAt(index + 2)))) {
      while (index < length && sql.charAt(index) !== '\n') index++
    } else if (char === '/' && next === '*') {
      if (sql.charAt(index + 2) === '!') {
        // Executable comments (`/*!50001 ... */`) are statement text for the server.
        index += 3
        while (/\d/.test(sql.charAt(index))) index++
      } else {
        const end = sql.indexOf('*/', index + 2)
        index = end < 0 ? length : end + 2
      }
    } else if (char === '*' && next === '/') {
      index += 2
    } else if (char === '`' || (char === '"' && ansiQuotes)) {
      let text = ''
      index++
      while (index < length) {
        const inner = sql.charAt(index)
        if (inner === char && sql.charAt(index + 1) === char) {
          text += char
          index += 2
        } else if (inner === char) {
          index++
          break
        } else {
          text += inner
          index++
        }
      }
      tokens.push({ kind: 'name', text })
    } else if (char === "'" || char === '"') {
      index++
      while (index < length) {
        const inner = sql.charAt(index)
        if (inner === '\\') index += 2
        else if (inner === char && sql.charAt(index + 1) === char) index += 2
        else if (inner === char) {
          index++
          break
        } else index++
      }
      tokens.push({ kind: 'punct', text: "'" })
    } else if (/[\w$\u0080-\uffff]/.test(char)) {
      let text = ''
      while (index < length && /[\w$\u0080-\uffff]/.test(sql.charAt(index))) {
        text += sql.charAt(index)
        index++
      }
      tokens.push({ kind: 'word', text })
    } else {
      tokens.push({ kind: 'punct', text: char })
      index++
    }
  }
  return tokens
}

class Cursor {
  readonly #tokens: Token[]
  #index = 0

  constructor(tokens: Token[]) {
    this.#tokens = tokens
  }

  get done(): boolean {
    return this.#index >= this.#tokens.length
  }

  peek(offset = 0): Token | undefined {
    return this.#tokens[this.#index + offset]
  }

  /** Consumes the keywords if they come next (case-insensitive); all or nothing. */
  accept(...words: string[]): boolean {
    const match = words.every((word, offset) => {
      const token = this.peek(offset)
      return token?.kind === 'word' && token.text.toUpperCase() === word
    })
    if (match) this.#index += words.length
    return match
  }

  acceptPunct(text: string): boolean {
    const token = this.peek()
    if (token?.kind === 'punct' && token.text === text) {
      this.#index++
      return true
    }
    return false
  }

  /** `name` or `db.name`, quoted or not; null when no identifier follows. */
  tableName(defaultDatabase: string): TableRef | null {
    const first = this.identifier()
    if (first === null) return null
    if (this.acceptPunct('.')) {
      const second = this.identifier()
      if (second === null) return null
      return { database: first, table: second }
    }
    return { database: defaultDatabase, table: first }
  }

  identifier(): string | null {
    const token = this.peek()
    if (token === undefined || token.kind === 'punct') return null
    this.#index++
    return token.text
  }

  skip(): void {
    this.#index++
  }
}

function effect(statement: string): DdlEffect {
  return { statement, changed: [], dropped: [], truncated: [], databases: [] }
}

function tableList(cursor: Cursor, defaultDatabase: string): TableRef[] {
  const tables: TableRef[] = []
  for (;;) {
    const name = cursor.tableName(defaultDatabase)
    if (name === null) break
    tables.push(name)
    if (!cursor.acceptPunct(',')) break
  }
  return tables
}

/** An ALTER TABLE's top-level `RENAME [TO|AS] name` (not RENAME COLUMN/INDEX/KEY). */
function alterRenameTarget(cursor: Cursor, defaultDatabase: string): TableRef | null {
  let depth = 0
  while (!cursor.done) {
    const token = cursor.peek()
    if (token?.kind === 'punct' && token.text === '(') depth++
    if (token?.kind === 'punct' && token.text === ')') depth--
    if (depth === 0 && cursor.accept('RENAME')) {
      if (cursor.accept('COLUMN') || cursor.accept('INDEX') || cursor.accept('KEY')) continue
      if (!cursor.accept('TO')) cursor.accept('AS')
      return cursor.tableName(defaultDatabase)
    }
    cursor.skip()
  }
  return null
}

/** The tables a statement changes; null when it changes no table or database definition. */
export function parseDdl(
  sql: string,
  defaultDatabase: string,
  ansiQuotes = false,
): DdlEffect | null {
  const cursor = new Cursor(tokenize(sql, ansiQuotes))
  if (cursor.accept('CREATE')) {
    cursor.accept('OR', 'REPLACE')
    if (cursor.accept('TEMPORARY')) return null
    if (cursor.accept('TABLE')) {
      cursor.accept('IF', 'NOT', 'EXISTS')
      const name = cursor.tableName(defaultDatabase)
      return name === null ? null : { ...effect('CREATE TABLE'), changed: [name] }
    }
    if (cursor.accept('DATABASE') || cursor.accept('SCHEMA')) {
      cursor.accept('IF', 'NOT', 'EXISTS')
      const name = cursor.identifier()
      return name === null ? null : { ...effect('CREATE DATABASE'), databases: [name] }
    }
    if (!cursor.accept('ONLINE')) cursor.accept('OFFLINE')
    if (!cursor.accept('UNIQUE') && !cursor.accept('FULLTEXT')) cursor.accept('SPATIAL')
    if (cursor.accept('INDEX')) return indexTarget(cursor, 'CREATE INDEX', defaultDatabase)
    return null
  }
  if (cursor.accept('ALTER')) {
    if (!cursor.accept('ONLINE')) cursor.accept('OFFLINE')
    cursor.accept('IGNORE')
    if (cursor.accept('TABLE')) {
      cursor.accept('IF', 'EXISTS')
      const name = cursor.tableName(defaultDatabase)
      if (name === null) return null
      const target = alterRenameTarget(cursor, name.database)
      if (target === null) return { ...effect('ALTER TABLE'), changed: [name] }
      return { ...effect('ALTER TABLE'), changed: [target], dropped: [name] }
    }
    if (cursor.accept('DATABASE') || cursor.accept('SCHEMA')) {
      const name = cursor.identifier()
      return { ...effect('ALTER DATABASE'), databases: name === null ? [defaultDatabase] : [name] }
    }
    return null
  }
  if (cursor.accept('DROP')) {
    if (cursor.accept('TEMPORARY')) return null
    if (cursor.accept('TABLE')) {
      cursor.accept('IF', 'EXISTS')
      return { ...effect('DROP TABLE'), dropped: tableList(cursor, defaultDatabase) }
    }
    if (cursor.accept('DATABASE') || cursor.accept('SCHEMA')) {
      cursor.accept('IF', 'EXISTS')
      const name = cursor.identifier()
      return name === null ? null : { ...effect('DROP DATABASE'), databases: [name] }
    }
    if (!cursor.accept('ONLINE')) cursor.accept('OFFLINE')
    if (cursor.accept('INDEX')) return indexTarget(cursor, 'DROP INDEX', defaultDatabase)
    return null
  }
  if (cursor.accept('RENAME', 'TABLE') || cursor.accept('RENAME', 'TABLES')) {
    const result = effect('RENAME TABLE')
    for (;;) {
      const from = cursor.tableName(defaultDatabase)
      if (from === null || !cursor.accept('TO')) break
      const to = cursor.tableName(defaultDatabase)
      if (to === null) break
      result.dropped.push(from)
      result.changed.push(to)
      if (!cursor.acceptPunct(',')) break
    }
    return result
  }
  if (cursor.accept('TRUNCATE')) {
    cursor.accept('TABLE')
    const name = cursor.tableName(defaultDatabase)
    return name === null ? null : { ...effect('TRUNCATE TABLE'), truncated: [name] }
  }
  return null
}

function indexTarget(cursor: Cursor, statement: string, defaultDatabase: string): DdlEffect | null {
  if (!cursor.accept('IF', 'NOT', 'EXISTS')) cursor.accept('IF', 'EXISTS')
  cursor.identifier()
  while (!cursor.done && !cursor.accept('ON')) cursor.skip()
  const name = cursor.tableName(defaultDatabase)
  return name === null ? null : { ...effect(statement), changed: [name] }
}
