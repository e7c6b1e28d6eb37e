/**
 * The schema-change table of the registry notes (infra.md §4.4): each row is a previous
 * schema, a next one, and whether the change passes BACKWARD (next reads previous), FORWARD
 * (previous reads next) and FULL. The unit tests check the compatibility module against
 * it; the conformance suite checks the embedded registry and Apicurio against it.
 */
export interface ChangeRow {
  change: string
  previous: object
  next: object
  backward: boolean
  forward: boolean
  full: boolean
}

export function record(fields: object[], namespace = 'cdc.test'): object {
  return { type: 'record', name: 'Row', namespace, fields }
}

const id = { name: 'id', type: 'int' }
const color = (symbols: string[], fallback?: string) => ({
  name: 'color',
  type: {
    type: 'enum',
    name: 'Color',
    symbols,
    ...(fallback === undefined ? {} : { default: fallback }),
  },
})

export const changeTable: readonly ChangeRow[] = [
  {
    change: 'add field with default',
    previous: record([id]),
    next: record([id, { name: 'email', type: 'string', default: '' }]),
    backward: true,
    forward: true,
    full: true,
  },
  {
    change: 'add field without default',
    previous: record([id]),
    next: record([id, { name: 'email', type: 'string' }]),
    backward: false,
    forward: true,
    full: false,
  },
  {
    change: 'remove field that had a default',
    previous: record([id, { name: 'email', type: 'string', default: '' }]),
    next: record([id]),
    backward: true,
    forward: true,
    full: true,
  },
  {
    change: 'remove field without default',
    previous: record([id, { name: 'email', type: 'string' }]),
    next: record([id]),
    backward: true,
    forward: false,
    full: false,
  },
  {
    change: 'int to long',
    previous: record([{ name: 'n', type: 'int' }]),
    next: record([{ name: 'n', type: 'long' }]),
    backward: true,
    forward: false,
    full: false,
  },
  {
    change: 'int to double',
    previous: record([{ name: 'n', type: 'int' }]),
    next: record([{ name: 'n', type: 'double' }]),
    backward: true,
    forward: false,
    full: false,
  },
  {
    change: 'string to bytes',
    previous: record([{ name: 's', type: 'string' }]),
    next: record([{ name: 's', type: 'bytes' }]),
    backward: true,
    forward: true,
    full: true,
  },
  {
    change: 'bytes to string',
    previous: record([{ name: 's', type: 'bytes' }]),
    next: record([{ name: 's', type: 'string' }]),
    backward: true,
    forward: true,
    full: true,
  },
  {
    change: 'add enum symbol, old enum without default',
    previous: record([color(['RED', 'GREEN'])]),
    next: record([color(['RED', 'GREEN', 'BLUE'])]),
    backward: true,
    forward: false,
    full: false,
  },
  {
    change: 'add enum symbol, old enum with default',
    previous: record([color(['RED', 'GREEN'], 'RED')]),
    next: record([color(['RED', 'GREEN', 'BLUE'], 'RED')]),
    backward: true,
    forward: true,
    full: true,
  },
  {
    change: 'remove enum symbol, new enum without default',
    previous: record([color(['RED', 'GREEN', 'BLUE'])]),
    next: record([color(['RED', 'GREEN'])]),
    backward: false,
    forward: true,
    full: false,
  },
  {
    change: 'remove enum symbol, new enum with default',
    previous: record([color(['RED', 'GREEN', 'BLUE'], 'RED')]),
    next: record([color(['RED', 'GREEN'], 'RED')]),
    backward: true,
    forward: true,
    full: true,
  },
  {
    change: 'make a field nullable (T to ["null", T])',
    previous: record([{ name: 'n', type: 'int' }]),
    next: record([{ name: 'n', type: ['null', 'int'] }]),
    backward: true,
    forward: false,
    full: false,
  },
  {
    change: 'add a branch to a union',
    previous: record([{ name: 'n', type: ['null', 'int'] }]),
    next: record([{ name: 'n', type: ['null', 'int', 'string'] }]),
    backward: true,
    forward: false,
    full: false,
  },
  {
    change: 'rename a field, new schema has an alias to the old name',
    previous: record([{ name: 'mail', type: 'string' }]),
    next: record([{ name: 'email', type: 'string', aliases: ['mail'] }]),
    backward: true,
    forward: false,
    full: false,
  },
  {
    change: 'change the record namespace only',
    previous: record([id], 'cdc.old'),
    next: record([id], 'cdc.renamed'),
    backward: true,
    forward: true,
    full: true,
  },
]
