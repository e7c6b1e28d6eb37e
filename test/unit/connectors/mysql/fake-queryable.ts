import type { Queryable, TextRow } from '../../../../connectors/mysql/connection.ts'

type Answer = TextRow[] | Error

/**
 * A Queryable that records statements and answers them from a list of (pattern, rows or
 * error); unmatched statements answer with no rows.
 */
export class FakeQueryable implements Queryable {
  readonly statements: string[] = []
  readonly #answers: [RegExp, Answer][]

  constructor(answers: [RegExp, Answer][] = []) {
    this.#answers = answers
  }

  query(sql: string, values: readonly unknown[] = []): Promise<TextRow[]> {
    this.statements.push(values.length === 0 ? sql : `${sql} ${JSON.stringify(values)}`)
    const answer = this.#answers.find(([pattern]) => pattern.test(sql))?.[1] ?? []
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer)
  }
}

/** A driver error as mysql2 reports it. */
export function serverError(errno: number, message: string): Error {
  return Object.assign(new Error(message), { errno, code: 'ER_X', sqlState: 'HY000' })
}
