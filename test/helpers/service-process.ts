// Runs the service in a child process, as users run it, so tests can kill it for real.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { uniqueName } from './names.ts'
import { waitFor } from './wait-for.ts'

export interface ServiceProcess {
  url: string
  registryUrl: string
  child: ChildProcess
  logs: string[]
  exited: Promise<number | null>
  kill(signal: NodeJS.Signals): void
}

export const counterServiceEntry = fileURLToPath(
  new URL('../integration/service/fixtures/counter-service.ts', import.meta.url),
)
export const cdcBin = fileURLToPath(new URL('../../bin/cdc.ts', import.meta.url))

/** Env for a service whose state topics and group no other test shares. */
export function isolatedServiceEnv(prefix = uniqueName('svc')): Record<string, string> {
  return {
    CDC_CONFIG_TOPIC: `${prefix}_configs`,
    CDC_STATUS_TOPIC: `${prefix}_status`,
    CDC_OFFSETS_TOPIC: `${prefix}_offsets`,
    CDC_SCHEMAS_TOPIC: `${prefix}_schemas`,
    CDC_SLOTS_TOPIC: `${prefix}_slots`,
    CDC_GROUP_ID: `${prefix}_group`,
  }
}

export async function startServiceProcess(
  entry: string,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', entry], {
    env: {
      ...process.env,
      CDC_HTTP_PORT: '0',
      CDC_REGISTRY_PORT: '0',
      CDC_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: string[] = []
  let url: string | undefined
  let registryUrl: string | undefined
  const onLine = (line: string) => {
    logs.push(line)
    try {
      const entry = JSON.parse(line) as { msg?: string; url?: string }
      if (entry.msg === 'admin API listening') url = entry.url
      if (entry.msg === 'embedded schema registry listening') registryUrl = entry.url
    } catch {
      // Not every line is JSON (e.g. a crash trace on stderr); keep it in the logs.
    }
  }
  let buffered = ''
  const collect = (chunk: Buffer) => {
    buffered += chunk.toString()
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) onLine(line)
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  let exitCode: number | null | undefined
  void exited.then((code) => (exitCode = code))
  // An exit ends the wait at once (waitFor would take a thrown error for a retry).
  await waitFor('the service to listen', () => (exitCode !== undefined ? true : url), {
    timeoutMs: 60_000,
  })
  if (url === undefined)
    throw new Error(`service exited with ${String(exitCode)}: ${logs.slice(-5).join('\n')}`)
  return {
    url,
    registryUrl: registryUrl ?? env.SCHEMA_REGISTRY_URL ?? '',
    child,
    logs,
    exited,
    kill: (signal) => child.kill(signal),
  }
}

/** A JSON request to the admin API. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- callers name the body shape they expect
export async function api<T = unknown>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T }
}
