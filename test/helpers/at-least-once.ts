// What at-least-once delivery allows a change topic to hold, and nothing more. A connector
// stores its source position only after Kafka acknowledged every record before it, and a
// restart resumes from the last stored position. Records written after that position but
// before a crash are therefore written again: the topic holds the changes in commit order,
// except that after a crash a suffix of what was already written may be repeated, starting
// at a transaction boundary. No change is skipped, reordered or invented.

export interface Replays {
  /** How many times delivery went back to an earlier transaction. */
  replays: number
  /** Records that repeat a change already delivered. */
  duplicates: number
}

/**
 * Checks `seen` (change ids in the order one partition holds them) against `expected`
 * (every committed change, in commit order, each id unique). `transactionStarts` holds the
 * indexes in `expected` where a transaction begins: a replay must start at one of them.
 * Throws naming the first change that breaks the rules.
 */
export function checkAtLeastOnce(
  seen: readonly string[],
  expected: readonly string[],
  transactionStarts: ReadonlySet<number>,
): Replays {
  const index = new Map<string, number>()
  expected.forEach((id, at) => {
    if (index.has(id)) throw new Error(`expected change ${id} is listed twice`)
    index.set(id, at)
  })
  let last = -1
  let replays = 0
  let duplicates = 0
  let furthest = -1
  seen.forEach((id, at) => {
    const position = index.get(id)
    if (position === undefined) {
      throw new Error(`record ${at} is change ${id}, which was never committed`)
    }
    if (position === last + 1) {
      last = position
    } else if (position <= last) {
      if (!transactionStarts.has(position)) {
        throw new Error(
          `record ${at} goes back to change ${id}, which does not start a transaction: a replay must start at a committed position`,
        )
      }
      replays++
      last = position
    } else {
      throw new Error(
        `record ${at} is change ${id}, but ${String(position - last - 1)} changes before it never arrived (first missing: ${String(expected[last + 1])})`,
      )
    }
    if (last <= furthest) duplicates++
    furthest = Math.max(furthest, last)
  })
  if (last !== expected.length - 1) {
    throw new Error(
      `the last record is change ${String(expected[last])}; ${String(expected.length - 1 - last)} committed changes after it never arrived (first: ${String(expected[last + 1])})`,
    )
  }
  return { replays, duplicates }
}
