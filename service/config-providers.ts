import { readFileSync } from 'node:fs'
import type { ConfigIssue } from '../connectors/plugin.ts'

/**
 * Kafka Connect's config providers, so secrets need not sit in the stored config:
 * `${env:NAME}` reads an environment variable, `${file:/path/to/file.properties:key}`
 * reads one key of a Java properties file. References are resolved each time a connector
 * starts; the stored config keeps the reference, never the secret.
 */
const reference = /\$\{(env|file):([^}]*)\}/g

export interface ResolvedConfig {
  config: Readonly<Record<string, string>>
  issues: ConfigIssue[]
}

export function resolveConfig(
  config: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): ResolvedConfig {
  const issues: ConfigIssue[] = []
  const resolved: Record<string, string> = {}
  for (const [field, value] of Object.entries(config)) {
    resolved[field] = value.replace(reference, (whole, provider: string, argument: string) => {
      const result = provider === 'env' ? fromEnv(argument, env) : fromFile(argument, readFile)
      if (typeof result === 'string') return result
      issues.push({ field, message: `${whole}: ${result.problem}` })
      return whole
    })
  }
  return { config: resolved, issues }
}

function fromEnv(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
): string | { problem: string } {
  const value = env[name]
  return (
    value ?? { problem: `environment variable ${name} is not set in the service's environment` }
  )
}

function fromFile(
  argument: string,
  readFile: (path: string) => string,
): string | { problem: string } {
  const split = argument.lastIndexOf(':')
  if (split <= 0) return { problem: 'use ${file:/path/to/file.properties:key}' }
  const path = argument.slice(0, split)
  const key = argument.slice(split + 1)
  let text: string
  try {
    text = readFile(path)
  } catch (error) {
    return {
      problem: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    }
  }
  const value = parseProperties(text).get(key)
  return value ?? { problem: `${path} has no key ${key}` }
}

/** The subset of Java's .properties syntax that secret files use: `key=value`, `key: value`, comments. */
export function parseProperties(text: string): Map<string, string> {
  const entries = new Map<string, string>()
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue
    const match = /^([^=:\s]+)\s*[=:]?\s*(.*)$/.exec(line)
    if (match?.[1] !== undefined) entries.set(match[1], match[2] ?? '')
  }
  return entries
}

/** Whether a config key holds a secret that must never be shown or logged. */
export function isSecretKey(key: string): boolean {
  return /password|secret|token/i.test(key)
}
