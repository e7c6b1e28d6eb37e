import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isSecretKey, parseProperties, resolveConfig } from '../../../service/config-providers.ts'

const files: Record<string, string> = {
  '/etc/cdc/db.properties': '# credentials\ndb.password=s3cr=t\nuser: cdc\n',
}
const readFile = (path: string): string => {
  const text = files[path]
  if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' })
  return text
}

describe('service/config-providers', () => {
  it('resolves env and file references, leaving other values as they are', () => {
    const { config, issues } = resolveConfig(
      {
        'database.password': '${file:/etc/cdc/db.properties:db.password}',
        'database.user': '${env:DB_USER}',
        'database.dbname': 'shop_${env:SUFFIX}',
        'topic.prefix': 'shop',
      },
      { DB_USER: 'alice', SUFFIX: 'eu' },
      readFile,
    )
    assert.deepEqual(issues, [])
    assert.deepEqual(config, {
      'database.password': 's3cr=t',
      'database.user': 'alice',
      'database.dbname': 'shop_eu',
      'topic.prefix': 'shop',
    })
  })

  it('names the field and the problem for every reference it cannot resolve', () => {
    const { issues } = resolveConfig(
      {
        a: '${env:MISSING}',
        b: '${file:/nope.properties:x}',
        c: '${file:/etc/cdc/db.properties:nokey}',
        d: '${file:nocolon}',
      },
      {},
      readFile,
    )
    assert.deepEqual(
      issues.map((i) => i.field),
      ['a', 'b', 'c', 'd'],
    )
    assert.match(issues[0]?.message ?? '', /MISSING is not set/)
    assert.match(issues[1]?.message ?? '', /cannot read \/nope.properties: ENOENT/)
    assert.match(issues[2]?.message ?? '', /has no key nokey/)
  })

  it('parses properties files', () => {
    assert.deepEqual(
      [...parseProperties('! c\n a = 1\nb:2\nc 3\n')],
      [
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
      ],
    )
  })

  it('recognises secret keys', () => {
    for (const key of ['database.password', 'api.SECRET', 'auth.token', 'x.Password.y']) {
      assert.ok(isSecretKey(key), key)
    }
    assert.ok(!isSecretKey('database.user'))
  })
})
