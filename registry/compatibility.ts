import avro, { type Type } from 'avsc'
import { errorMessage } from '../common/errors.ts'
import type { AvroSchema } from './avro-schema.ts'

/** Confluent's compatibility levels, with the same names on the wire. */
export const compatibilityLevels = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const

export type CompatibilityLevel = (typeof compatibilityLevels)[number]

export function isCompatibilityLevel(value: unknown): value is CompatibilityLevel {
  return typeof value === 'string' && (compatibilityLevels as readonly string[]).includes(value)
}

/** A registered version the candidate is checked against. */
export interface PreviousVersion {
  version: number
  schema: AvroSchema
}

export interface CompatibilityVerdict {
  compatible: boolean
  /** Why not, one line per failed check; empty when compatible. */
  reasons: string[]
}

/**
 * Checks a candidate schema against a subject's previous versions as Confluent does:
 * BACKWARD means the new schema reads data written with the old one, FORWARD the reverse,
 * FULL both; plain levels look at the latest version only, *_TRANSITIVE at all of them.
 * `previous` holds the non-deleted versions, newest first; the check stops at the first
 * version that fails, as Confluent's does.
 */
export function checkCompatibility(
  level: CompatibilityLevel,
  candidate: AvroSchema,
  previous: readonly PreviousVersion[],
): CompatibilityVerdict {
  if (level === 'NONE') return { compatible: true, reasons: [] }
  const transitive = level.endsWith('_TRANSITIVE')
  const backward = !level.startsWith('FORWARD')
  const forward = !level.startsWith('BACKWARD')
  for (const old of transitive ? previous : previous.slice(0, 1)) {
    const reasons: string[] = []
    if (backward) {
      const problem = cannotRead(candidate, old.schema)
      if (problem !== undefined) {
        reasons.push(
          `${level}: the new schema cannot read data written with version ${old.version}: ${problem}`,
        )
      }
    }
    if (forward) {
      const problem = cannotRead(old.schema, candidate)
      if (problem !== undefined) {
        reasons.push(
          `${level}: version ${old.version} cannot read data written with the new schema: ${problem}`,
        )
      }
    }
    if (reasons.length > 0) return { compatible: false, reasons }
  }
  return { compatible: true, reasons: [] }
}

/** avsc's resolver is Avro's schema resolution; undefined means the reader can read. */
function cannotRead(reader: AvroSchema, writer: AvroSchema): string | undefined {
  return resolutionProblem(reader.type, writer.type)
}

function resolutionProblem(reader: Type, writer: Type): string | undefined {
  try {
    // Java Avro matches named types by their unqualified names; so must we.
    reader.createResolver(writer, { ignoreNamespaces: true })
    return undefined
  } catch (error) {
    return explain(errorMessage(error), reader, writer)
  }
}

/**
 * avsc reports a failed match inside a union only as `cannot read "a.R" as [...]`, and a
 * named-type mismatch as `cannot read "a.E" as "a.E"`; say what actually differs, since
 * "add a default to the new column" is what a user needs to read.
 */
function explain(message: string, reader: Type, writer: Type): string {
  const inUnion = /^cannot read "([^"]+)" as \[/.exec(message)
  if (inUnion?.[1] !== undefined) {
    const name = inUnion[1]
    const readerNamed = namedTypes(reader).get(unqualified(name))
    const writerNamed = namedTypes(writer).get(unqualified(name))
    if (readerNamed !== undefined && writerNamed !== undefined) {
      const inner = resolutionProblem(readerNamed, writerNamed)
      if (inner !== undefined) return `${name}: ${inner}`
    }
    return message
  }
  const same = /^cannot read "([^"]+)" as "\1"$/.exec(message)
  if (same === null) return message
  return `${message} (the reader's ${same[1]} lacks an enum symbol the writer has, and no enum default, or its fixed size differs)`
}

function unqualified(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1)
}

/** Every named type (record, enum, fixed) reachable from `type`, by unqualified name. */
function namedTypes(type: Type, found = new Map<string, Type>()): Map<string, Type> {
  if (type.name !== undefined) {
    const key = unqualified(type.name)
    if (found.has(key)) return found
    found.set(key, type)
  }
  if (type instanceof avro.types.RecordType) {
    for (const field of type.fields) namedTypes(field.type, found)
  } else if (
    type instanceof avro.types.UnwrappedUnionType ||
    type instanceof avro.types.WrappedUnionType
  ) {
    for (const branch of type.types) namedTypes(branch, found)
  } else if (type instanceof avro.types.ArrayType) {
    namedTypes(type.itemsType, found)
  } else if (type instanceof avro.types.MapType) {
    namedTypes(type.valuesType as Type, found)
  }
  return found
}
