import { findCdcError, errorMessage } from '../common/errors.ts'
import { createLogger } from '../common/logger.ts'
import type { ConnectorPlugin } from '../connectors/plugin.ts'
import { startService } from './service.ts'
import { settingsFromEnv } from './settings.ts'

/**
 * Runs the service as a process: starts it, and on SIGTERM or SIGINT stops every
 * connector at a clean position (in-flight records flushed, positions stored), then exits
 * 0; if that takes longer than the shutdown timeout it exits 1 and the connectors resume
 * from their last stored positions on the next start.
 */
export async function main(plugins: readonly ConnectorPlugin[]): Promise<void> {
  let settings
  try {
    settings = settingsFromEnv()
  } catch (error) {
    process.stderr.write(`cdc: ${errorMessage(error)}\n`)
    process.exit(2)
  }
  const logger = createLogger(settings.logLevel)
  let service
  try {
    service = await startService(settings, plugins, logger)
  } catch (error) {
    const cdc = findCdcError(error)
    logger.fatal({ code: cdc?.code, err: error }, `cdc could not start: ${errorMessage(error)}`)
    process.exit(1)
  }
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'stopping: connectors stop at a clean position')
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: settings.shutdownTimeoutMs }, 'clean stop timed out; exiting')
      process.exit(1)
    }, settings.shutdownTimeoutMs)
    timer.unref()
    service.close().then(
      () => {
        logger.info('stopped')
        process.exit(0)
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => {
    shutdown('SIGTERM')
  })
  process.on('SIGINT', () => {
    shutdown('SIGINT')
  })
}
