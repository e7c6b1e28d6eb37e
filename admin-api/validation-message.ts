import { clip } from './clip.ts'

/** The parts of an Ajv error that fastify passes on in `error.validation`. */
export interface SchemaIssue {
  instancePath: string
  keyword: string
  params: Record<string, unknown>
  message?: string
}

const maxIssuesShown = 10

const roots: Record<string, string> = {
  body: 'body',
  querystring: 'query parameter',
  params: 'path parameter',
  headers: 'header',
}

/** `/config/tasks.max` -> `config["tasks.max"]`: readable, and unambiguous for dotted config keys. */
function location(context: string, instancePath: string): string {
  const root = roots[context] ?? context
  const segments = instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
  if (root !== 'body' && segments.length > 0) {
    const [first, ...rest] = segments
    return `${root} "${clip(first ?? '', 100)}"${rest.map((s) => `[${JSON.stringify(clip(s, 100))}]`).join('')}`
  }
  return segments.reduce(
    (path, segment) =>
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)
        ? `${path}.${segment}`
        : `${path}[${/^\d+$/.test(segment) ? segment : JSON.stringify(clip(segment, 100))}]`,
    root,
  )
}

function typeName(type: unknown): string {
  const names = String(type).split(',')
  const article = (name: string): string =>
    name === 'null' ? 'null' : `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`
  if (names.length === 1) return article(names[0] ?? '')
  return `${names.slice(0, -1).map(article).join(', ')} or ${article(names.at(-1) ?? '')}`
}

function describe(context: string, issue: SchemaIssue): string {
  const where = location(context, issue.instancePath)
  const { params } = issue
  switch (issue.keyword) {
    case 'required':
      return `${where} is missing the required field "${clip(String(params.missingProperty))}"`
    case 'additionalProperties':
      return `${where} has the unknown field "${clip(String(params.additionalProperty))}"`
    case 'type':
      return `${where} must be ${typeName(params.type)}`
    case 'enum':
      return `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    default:
      return `${where} ${issue.message ?? `fails the "${issue.keyword}" rule`}`
  }
}

/** One message naming every schema problem (up to a limit), never echoing the values sent. */
export function validationMessage(context: string, issues: readonly SchemaIssue[]): string {
  const problems = [...new Set(issues.map((issue) => describe(context, issue)))]
  const shown = problems.slice(0, maxIssuesShown)
  const more =
    problems.length > shown.length ? ` (and ${problems.length - shown.length} more problems)` : ''
  return `Invalid request: ${shown.join('; ')}${more}. GET /docs describes every endpoint's request.`
}
