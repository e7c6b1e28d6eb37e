import { errorCodes } from '../../common/errors.ts'
import { maxConnectorNameLength } from '../connector-name.ts'

/** Shared schemas are registered once (`app.addSchema`) and referenced by `$id`, which also names them in OpenAPI. */
export const connectErrorSchema = {
  $id: 'ConnectError',
  type: 'object',
  description:
    "Kafka Connect's error body: `error_code` repeats the HTTP status; `code` is this service's stable error code (docs/errors.md).",
  required: ['error_code', 'message', 'code'],
  properties: {
    error_code: { type: 'integer' },
    message: { type: 'string' },
    code: { type: 'string', enum: [...errorCodes] },
  },
} as const

export const configMapSchema = {
  $id: 'ConfigMap',
  type: 'object',
  description:
    'Connector config: Debezium/Kafka Connect property names, string values. Values of keys containing "password", "secret" or "token" are shown as "[hidden]".',
  additionalProperties: { type: 'string' },
} as const

export const messageSchema = {
  $id: 'Message',
  type: 'object',
  required: ['message'],
  properties: { message: { type: 'string' } },
} as const

const errorRef = { $ref: 'ConnectError#' } as const

/** Every route answers errors in the same shape. */
export const errorResponses = {
  '4xx': errorRef,
  '5xx': errorRef,
} as const

/** A request body config map; Kafka Connect also accepts JSON numbers and booleans and stores their text. */
export const configBodySchema = {
  type: 'object',
  description:
    'Connector config. Numbers and booleans are accepted and stored as their text, as Kafka Connect does. A secret sent as "[hidden]" (the mask responses show) keeps the stored value.',
  additionalProperties: { type: ['string', 'number', 'boolean'] },
} as const

export const nameParamsSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      description: `Connector name, percent-encoded: at most ${maxConnectorNameLength} characters, no control characters, no "/".`,
    },
  },
} as const

export const noContent = { type: 'null', description: 'No body.' } as const

export const booleanQuery = {
  type: 'string',
  enum: ['true', 'false', 'TRUE', 'FALSE', 'True', 'False'],
  default: 'false',
} as const

export const isTrue = (value: string | undefined): boolean => value?.toLowerCase() === 'true'
