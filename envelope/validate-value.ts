import { CdcError } from '../common/errors.ts'
import type { ConnectSchema } from './connect-schema.ts'
import { Decimal } from './connect-schema.ts'
import { decimalScaleParameter, semanticNames } from './semantic-types.ts'

/**
 * Checks a value against its Connect schema before a record is built, so a connector bug
 * or an unexpected database value stops the pipeline with the topic and field named,
 * instead of surfacing later as an opaque serializer failure (or, worse, a wrong number).
 */
export function validateValue(schema: ConnectSchema, value: unknown, topic: string, path: string) {
  const problem = findProblem(schema, value, path)
  if (problem !== undefined) {
    throw new CdcError(
      'CDC_ENVELOPE_INVALID_VALUE',
      `topic ${topic}, field ${problem.path}: ${problem.reason}, got ${describeValue(problem.value)}. ` +
        'The connector produced a value that does not fit the column schema; check the column ' +
        'type mapping, or exclude the column with column.exclude.list',
      { details: { topic, field: problem.path, value: describeValue(problem.value) } },
    )
  }
}

interface Problem {
  path: string
  reason: string
  value: unknown
}

const intRanges = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
} as const
const int64Min = -(2n ** 63n)
const int64Max = 2n ** 63n - 1n

function findProblem(schema: ConnectSchema, value: unknown, path: string): Problem | undefined {
  const fail = (reason: string): Problem => ({ path, reason, value })
  if (value === null || value === undefined) {
    return schema.optional ? undefined : fail('a value is required (the field is not optional)')
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32': {
      const [min, max] = intRanges[schema.type]
      return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
        ? undefined
        : fail(`expected an integer number in ${schema.type} range [${min}, ${max}]`)
    }
    case 'int64':
      return typeof value === 'bigint' && value >= int64Min && value <= int64Max
        ? undefined
        : fail('expected a bigint in int64 range (int64 values are never JS numbers)')
    case 'float32':
    case 'float64':
      return typeof value === 'number' ? undefined : fail(`expected a number (${schema.type})`)
    case 'boolean':
      return typeof value === 'boolean' ? undefined : fail('expected a boolean')
    case 'string':
      return typeof value === 'string' ? undefined : fail('expected a string')
    case 'bytes':
      return schema.name === semanticNames.connectDecimal
        ? decimalProblem(schema, value, fail)
        : value instanceof Uint8Array
          ? undefined
          : fail('expected bytes (Uint8Array)')
    case 'array':
      if (!Array.isArray(value)) return fail('expected an array')
      for (const [index, item] of (value as unknown[]).entries()) {
        const problem = findProblem(schema.items, item, `${path}[${index}]`)
        if (problem !== undefined) return problem
      }
      return undefined
    case 'map':
      if (!(value instanceof Map)) return fail('expected a Map')
      for (const [key, item] of value as Map<unknown, unknown>) {
        const where = `${path}[${describeValue(key)}]`
        const problem =
          findProblem(schema.keys, key, `${where} (key)`) ?? findProblem(schema.values, item, where)
        if (problem !== undefined) return problem
      }
      return undefined
    case 'struct': {
      if (!isStructValue(value)) return fail(`expected a struct (plain object) ${schema.name}`)
      const names = new Set(schema.fields.map((field) => field.name))
      const unknown = Object.keys(value).find((key) => !names.has(key))
      if (unknown !== undefined) {
        return fail(`field ${JSON.stringify(unknown)} is not in struct ${schema.name}`)
      }
      for (const field of schema.fields) {
        const problem = findProblem(field.schema, value[field.name], joinPath(path, field.name))
        if (problem !== undefined) return problem
      }
      return undefined
    }
  }
}

function decimalProblem(
  schema: ConnectSchema,
  value: unknown,
  fail: (reason: string) => Problem,
): Problem | undefined {
  const scale = Number(schema.parameters?.[decimalScaleParameter] ?? 0)
  if (!(value instanceof Decimal)) return fail(`expected a Decimal with scale ${scale}`)
  try {
    value.rescale(scale)
    return undefined
  } catch {
    return fail(`expected a Decimal that fits scale ${scale} without rounding`)
  }
}

/** A struct value: a plain object, not one of the other object-shaped values. */
export function isStructValue(value: unknown): value is { readonly [field: string]: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Map) &&
    !(value instanceof Decimal)
  )
}

function joinPath(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`
}

/** A short, unambiguous rendering of any value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (field missing)'
  if (value === null) return 'null'
  if (typeof value === 'string') {
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value
    return `string ${JSON.stringify(shown)}`
  }
  if (typeof value === 'bigint') return `bigint ${value.toString()}`
  if (typeof value === 'number' || typeof value === 'boolean') {
    return `${typeof value} ${String(value)}`
  }
  if (value instanceof Decimal) return `Decimal ${value.toString()} (scale ${value.scale})`
  if (value instanceof Uint8Array) return `bytes of length ${value.length}`
  if (Array.isArray(value)) return `array of length ${value.length}`
  if (value instanceof Map) return `Map of size ${value.size}`
  if (typeof value === 'object') return `object with keys [${Object.keys(value).join(', ')}]`
  return typeof value
}
