import { pino, type DestinationStream, type Logger } from 'pino'

export type { Logger }

/**
 * Structured JSON logs. Secrets are redacted by key wherever they appear in a logged
 * object, as a second line of defence: the code never logs configs on purpose.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'cdc' },
    redact: {
      paths: [
        '*.password',
        '*.secret',
        '*.token',
        '*["database.password"]',
        'config.*',
        'headers.authorization',
        'req.headers.authorization',
      ],
      censor: '[hidden]',
    },
  }
  return destination === undefined ? pino(options) : pino(options, destination)
}

/** Adapts pino to the small logger interfaces connectors and the runtime take. */
export function fieldsLogger(logger: Logger) {
  return {
    info: (message: string, fields?: Record<string, unknown>) => {
      logger.info(fields ?? {}, message)
    },
    warn: (message: string, fields?: Record<string, unknown>) => {
      logger.warn(fields ?? {}, message)
    },
    error: (message: string, fields?: Record<string, unknown>) => {
      logger.error(fields ?? {}, message)
    },
  }
}
