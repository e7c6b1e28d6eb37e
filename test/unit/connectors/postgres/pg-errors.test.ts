import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CdcError } from '../../../../common/errors.ts'
import { classifyPgError } from '../../../../connectors/postgres/pg-errors.ts'

const serverError = (code: string, message: string) => Object.assign(new Error(message), { code })

describe('connectors/postgres/pg-errors', () => {
  it('retries connection loss and server shutdowns', () => {
    for (const error of [
      serverError('57P01', 'terminating connection due to administrator command'),
      serverError('08006', 'connection failure'),
      serverError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
      new Error('Connection terminated unexpectedly'),
      // pg's answer to a query on a client whose connection already broke.
      new Error('Client has encountered a connection error and is not queryable'),
    ]) {
      const classified = classifyPgError(error, 'testing')
      assert.equal(classified.code, 'CDC_PG_CONNECTION', error.message)
      assert.equal(classified.retriable, true)
      assert.equal(classified.cause, error)
    }
  })

  it('does not retry authentication, privileges or a lost slot', () => {
    const cases = [
      [serverError('28P01', 'password authentication failed'), 'CDC_PG_AUTH'],
      [serverError('42501', 'permission denied for table t'), 'CDC_PG_PRIVILEGE'],
      [serverError('55000', 'cannot read from logical replication slot "s"'), 'CDC_PG_SLOT_LOST'],
    ] as const
    for (const [error, code] of cases) {
      const classified = classifyPgError(error, 'x')
      assert.equal(classified.code, code)
      assert.equal(classified.retriable, false)
    }
  })

  it('retries a slot another walsender still holds', () => {
    const busy = classifyPgError(
      serverError('55006', 'replication slot "s" is active for PID 42'),
      'x',
    )
    assert.equal(busy.code, 'CDC_PG_SLOT_IN_USE')
    assert.equal(busy.retriable, true)
  })

  it('keeps CdcErrors and names the SQLSTATE of anything else', () => {
    const own = new CdcError('CDC_PG_WAL_LEVEL', 'x')
    assert.equal(classifyPgError(own, 'x'), own)
    const other = classifyPgError(serverError('42P01', 'relation "t" does not exist'), 'reading t')
    assert.equal(other.code, 'CDC_PG_QUERY_FAILED')
    assert.equal(other.retriable, false)
    assert.match(other.message, /42P01.*relation "t" does not exist/)
  })
})
