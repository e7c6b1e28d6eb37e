import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CdcError } from '../../../../common/errors.ts'
import type { TextRow } from '../../../../connectors/mysql/connection.ts'
import {
  ReopeningSession,
  type ReopenableSession,
} from '../../../../connectors/mysql/reopening-session.ts'

/** A session answering with its name, or failing the way it is told to. */
class FakeSession implements ReopenableSession {
  failure: unknown = null
  destroyed = false
  fail: CdcError | null = null
  readonly name: string

  constructor(name: string) {
    this.name = name
  }

  query(): Promise<TextRow[]> {
    return this.fail === null ? Promise.resolve([{ from: this.name }]) : Promise.reject(this.fail)
  }

  destroy(): void {
    this.destroyed = true
  }
}

const lost = new CdcError('CDC_MYSQL_CONNECTION', 'connection lost', { retriable: true })

/** Opens FakeSessions; each fails with `failWith.error` when that is set. */
function opener(failWith: { error: CdcError | null } = { error: null }): {
  open: () => Promise<FakeSession>
  opened: FakeSession[]
} {
  const opened: FakeSession[] = []
  return {
    opened,
    open: () => {
      const session = new FakeSession(`new${String(opened.length + 1)}`)
      session.fail = failWith.error
      opened.push(session)
      return Promise.resolve(session)
    },
  }
}

describe('connectors/mysql/reopening-session', () => {
  it('uses the first session while it is fine', async () => {
    const { open, opened } = opener()
    const reads = new ReopeningSession(new FakeSession('first'), open)
    assert.deepEqual(await reads.query('SELECT 1'), [{ from: 'first' }])
    assert.equal(opened.length, 0)
  })

  it('replaces a session that broke while idle, and leaves the first to its owner', async () => {
    const { open, opened } = opener()
    const first = new FakeSession('first')
    const reads = new ReopeningSession(first, open)
    first.failure = new Error('server closed the connection')
    assert.deepEqual(await reads.query('SELECT 1'), [{ from: 'new1' }])
    assert.deepEqual(await reads.query('SELECT 1'), [{ from: 'new1' }])
    assert.equal(first.destroyed, false)
    reads.close()
    assert.equal(opened[0]?.destroyed, true)
  })

  it('repeats a query whose connection broke once, on a new session', async () => {
    const failWith: { error: CdcError | null } = { error: null }
    const { open, opened } = opener(failWith)
    const first = new FakeSession('first')
    first.fail = lost
    const reads = new ReopeningSession(first, open)
    assert.deepEqual(await reads.query('SELECT 1'), [{ from: 'new1' }])
    // Once more only: a server that is really gone fails the query.
    const [new1] = opened
    assert.ok(new1 !== undefined)
    new1.fail = lost
    failWith.error = lost
    await assert.rejects(reads.query('SELECT 1'), lost)
    assert.equal(new1.destroyed, true)
    assert.equal(opened.length, 2)
  })

  it('passes other errors through without a new session', async () => {
    const { open, opened } = opener()
    const first = new FakeSession('first')
    first.fail = new CdcError('CDC_MYSQL_PRIVILEGE', 'denied')
    const reads = new ReopeningSession(first, open)
    await assert.rejects(reads.query('SELECT 1'), /denied/)
    assert.equal(opened.length, 0)
  })
})
