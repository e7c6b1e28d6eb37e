import { CdcError, type ErrorCode } from '../../common/errors.ts'

/**
 * An answer of the registry API other than success, with Confluent's `error_code` and the
 * HTTP status that goes with it (404xx -> 404, 422xx -> 422, 500xx -> 500, 409 -> 409).
 */
export class RegistryError extends CdcError {
  readonly errorCode: number
  readonly status: number

  constructor(errorCode: number, message: string, cause?: unknown) {
    const store = errorCode >= 50000
    super(category(errorCode), message, {
      cause,
      retriable: store,
      details: { errorCode },
    })
    this.name = 'RegistryError'
    this.errorCode = errorCode
    this.status = errorCode < 1000 ? errorCode : Math.floor(errorCode / 100)
  }
}

function category(errorCode: number): ErrorCode {
  if (errorCode === 409) return 'CDC_REG_INCOMPATIBLE_SCHEMA'
  if (errorCode === 42201) return 'CDC_REG_INVALID_SCHEMA'
  if (errorCode >= 50000) return 'CDC_REG_STORE_FAILED'
  if (errorCode >= 40404 && errorCode <= 40407) return 'CDC_REG_INVALID_REQUEST'
  if (errorCode >= 40400 && errorCode < 40500) return 'CDC_REG_NOT_FOUND'
  return 'CDC_REG_INVALID_REQUEST'
}

/** Confluent's errors, with its wording where clients or people may match on it. */
export const registryErrors = {
  subjectNotFound: (subject: string) => new RegistryError(40401, `Subject '${subject}' not found.`),
  versionNotFound: (version: number) => new RegistryError(40402, `Version ${version} not found.`),
  schemaNotFound: (id?: number) =>
    new RegistryError(40403, id === undefined ? 'Schema not found' : `Schema ${id} not found`),
  subjectSoftDeleted: (subject: string) =>
    new RegistryError(
      40404,
      `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`,
    ),
  subjectNotSoftDeleted: (subject: string) =>
    new RegistryError(
      40405,
      `Subject '${subject}' was not deleted first before being permanently deleted`,
    ),
  versionSoftDeleted: (subject: string, version: number) =>
    new RegistryError(
      40406,
      `Subject '${subject}' Version ${version} was soft deleted. Set permanent=true to delete permanently`,
    ),
  versionNotSoftDeleted: (subject: string, version: number) =>
    new RegistryError(
      40407,
      `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`,
    ),
  subjectLevelNotConfigured: (subject: string) =>
    new RegistryError(
      40408,
      `Subject '${subject}' does not have subject-level compatibility configured`,
    ),
  subjectModeNotConfigured: (subject: string) =>
    new RegistryError(40409, `Subject '${subject}' does not have subject-level mode configured`),
  incompatible: (subject: string, reasons: readonly string[]) =>
    new RegistryError(
      409,
      `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${reasons.join(', ')}]`,
    ),
  invalidSchema: (reason: string, cause?: unknown) => new RegistryError(42201, reason, cause),
  invalidVersion: (version: string) =>
    new RegistryError(
      42202,
      `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    ),
  invalidLevel: (level: unknown) =>
    new RegistryError(
      42203,
      `Invalid compatibility level ${JSON.stringify(level)}. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE`,
    ),
  invalidMode: (mode: unknown) =>
    new RegistryError(
      42204,
      `Invalid mode ${JSON.stringify(mode)}. Valid values are READWRITE, READONLY, READONLY_OVERRIDE, IMPORT`,
    ),
  operationNotPermitted: (message: string) => new RegistryError(42205, message),
  badRequest: (message: string) => new RegistryError(400, message),
  store: (message: string, cause?: unknown) => new RegistryError(50001, message, cause),
}
