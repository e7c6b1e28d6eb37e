import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RouteTable } from '../../../admin-api/route-table.ts'

describe('admin-api/route-table', () => {
  const table = new RouteTable()
  table.add('GET', '/connectors')
  table.add('POST', '/connectors')
  table.add('GET', '/connectors/:name')
  table.add('delete', '/connectors/:name')
  table.add('GET', '/connectors/:name/tasks/:task/status')
  table.add('GET', '/docs/static/*')
  table.add('GET', '/a.b')

  it('finds the methods of a concrete path, with or without a trailing slash', () => {
    assert.deepEqual(table.methodsFor('/connectors'), ['GET', 'POST'])
    assert.deepEqual(table.methodsFor('/connectors/'), ['GET', 'POST'])
    assert.deepEqual(table.methodsFor('/connectors/x%2Fy'), ['DELETE', 'GET'])
    assert.deepEqual(table.methodsFor('/connectors/x/tasks/0/status'), ['GET'])
    assert.deepEqual(table.methodsFor('/docs/static/a/b.css'), ['GET'])
  })

  it('matches nothing for unknown paths, and treats pattern text literally', () => {
    assert.deepEqual(table.methodsFor('/nope'), [])
    assert.deepEqual(table.methodsFor('/connectors/x/y'), [])
    assert.deepEqual(table.methodsFor('/aXb'), [])
    assert.deepEqual(table.methodsFor('/a.b'), ['GET'])
  })
})
