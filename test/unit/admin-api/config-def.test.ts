import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pluginConfigMarkdown, toConfigKeyInfos } from '../../../admin-api/config-def.ts'
import type { ConfigField } from '../../../connectors/plugin.ts'

const fields: ConfigField[] = [
  {
    name: 'database.hostname',
    type: 'string',
    required: true,
    importance: 'HIGH',
    group: 'Connection',
    doc: 'Host.',
  },
  {
    name: 'database.port',
    type: 'int',
    required: false,
    default: '5432',
    importance: 'MEDIUM',
    group: 'Connection',
    doc: 'Port.',
  },
  {
    name: 'snapshot.mode',
    type: 'string',
    required: false,
    default: 'initial',
    allowed: ['initial', 'never'],
    importance: 'LOW',
    group: 'Snapshot',
    doc: 'When | how.',
  },
]

describe('admin-api/config-def', () => {
  it("gives Kafka Connect's ConfigKeyInfo, numbering fields within each group", () => {
    const infos = toConfigKeyInfos(fields)
    assert.deepEqual(infos[1], {
      name: 'database.port',
      type: 'INT',
      required: false,
      default_value: '5432',
      importance: 'MEDIUM',
      documentation: 'Port.',
      group: 'Connection',
      order: 2,
      width: 'NONE',
      display_name: 'database.port',
      dependents: [],
    })
    assert.equal(infos[0]?.default_value, null)
    assert.equal(infos[2]?.order, 1)
  })

  it('documents every field of every plugin as a markdown table', () => {
    const markdown = pluginConfigMarkdown([
      {
        plugin: { class: 'x.PgConnector', type: 'source', version: '2', aliases: ['pg'] },
        fields,
      },
    ])
    assert.match(markdown, /^### x\.PgConnector \(aliases: pg\), version 2$/m)
    for (const field of fields) assert.match(markdown, new RegExp(`\\| \`${field.name}\` \\|`))
    assert.match(markdown, /When \\\| how\. One of: initial, never\./)
  })
})
