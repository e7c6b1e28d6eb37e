import type { ValidationResult } from '../admin-api/connect-service.ts'
import type { ConfigField, ConfigIssue, ConnectorConfig } from '../connectors/plugin.ts'
import { isSecretKey } from './config-providers.ts'

/**
 * Kafka Connect's validate response: every defined field with its definition, the value
 * given, and its errors; fields the definitions do not know but that have an issue (an
 * unknown key) are listed too, so the user sees every problem in one answer.
 */
export function validationResult(
  className: string,
  fields: readonly ConfigField[],
  config: ConnectorConfig,
  issues: readonly ConfigIssue[],
): ValidationResult {
  const errorsOf = (name: string): string[] =>
    issues.filter((i) => i.field === name).map((i) => i.message)
  const groups = [...new Set(fields.map((f) => f.group))]
  const known = new Set(fields.map((f) => f.name))
  const unknownWithIssues = [...new Set(issues.map((i) => i.field))].filter((f) => !known.has(f))
  const all: ConfigField[] = [
    ...fields,
    ...unknownWithIssues.map((name): ConfigField => ({
      name,
      type: 'string',
      required: false,
      importance: 'LOW',
      group: 'Unknown',
      doc: '',
    })),
  ]
  return {
    name: className,
    error_count: issues.length,
    groups: unknownWithIssues.length > 0 ? [...groups, 'Unknown'] : groups,
    configs: all.map((field, order) => {
      const given = config[field.name]
      return {
        definition: {
          name: field.name,
          type: field.type.toUpperCase(),
          required: field.required,
          default_value: field.default ?? null,
          importance: field.importance,
          documentation: field.doc,
          group: field.group,
          order,
          width: 'NONE',
          display_name: field.name,
          dependents: [],
        },
        value: {
          name: field.name,
          value: given === undefined ? null : isSecretKey(field.name) ? '[hidden]' : given,
          recommended_values: [...(field.allowed ?? [])],
          errors: errorsOf(field.name),
          visible: true,
        },
      }
    }),
  }
}
