import { connectorPhases } from '../../connectors/plugin.ts'
import { connectorStates } from '../connect-service.ts'

const state = { type: 'string', enum: [...connectorStates] } as const

export const connectorInfoSchema = {
  $id: 'ConnectorInfo',
  type: 'object',
  required: ['name', 'config', 'tasks', 'type'],
  properties: {
    name: { type: 'string' },
    config: { $ref: 'ConfigMap#' },
    tasks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['connector', 'task'],
        properties: { connector: { type: 'string' }, task: { type: 'integer' } },
      },
    },
    type: { type: 'string', enum: ['source'] },
  },
} as const

export const taskStateSchema = {
  $id: 'TaskState',
  type: 'object',
  required: ['id', 'state', 'worker_id'],
  properties: {
    id: { type: 'integer' },
    state,
    worker_id: { type: 'string' },
    trace: { type: 'string' },
  },
} as const

const nullableNumber = { type: ['number', 'null'] } as const

export const connectorStatusSchema = {
  $id: 'ConnectorStatus',
  type: 'object',
  description:
    "Kafka Connect's status body; phase, snapshot, last_committed_position and error are this service's additions.",
  required: ['name', 'connector', 'tasks', 'type'],
  properties: {
    name: { type: 'string' },
    connector: {
      type: 'object',
      required: ['state', 'worker_id'],
      properties: { state, worker_id: { type: 'string' }, trace: { type: 'string' } },
    },
    tasks: { type: 'array', items: { $ref: 'TaskState#' } },
    type: { type: 'string', enum: ['source'] },
    phase: { type: ['string', 'null'], enum: [...connectorPhases, null] },
    snapshot: {
      type: 'array',
      items: {
        type: 'object',
        required: ['table', 'rows_done', 'done'],
        properties: {
          table: { type: 'string' },
          rows_done: { type: 'number' },
          rows_estimated: nullableNumber,
          rows_per_second: nullableNumber,
          eta_seconds: nullableNumber,
          done: { type: 'boolean' },
        },
      },
    },
    last_committed_position: { type: ['object', 'null'], additionalProperties: true },
    error: {
      type: ['object', 'null'],
      required: ['code', 'message', 'retriable'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        retriable: { type: 'boolean' },
      },
    },
  },
} as const

export const connectorOffsetsSchema = {
  $id: 'ConnectorOffsets',
  type: 'object',
  description:
    'KIP-875 offsets: one entry per source partition; `offset` is the stored source position, null to remove it.',
  required: ['offsets'],
  additionalProperties: false,
  properties: {
    offsets: {
      type: 'array',
      items: {
        type: 'object',
        required: ['partition', 'offset'],
        additionalProperties: false,
        properties: {
          partition: { type: 'object', additionalProperties: { type: 'string' } },
          offset: { type: ['object', 'null'], additionalProperties: true },
        },
      },
    },
  },
} as const

export const sourceLagSchema = {
  $id: 'SourceLag',
  type: 'object',
  description: 'How far the connector is behind its source; the fields depend on the connector.',
  additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
} as const

export const connectorSchemas = [
  connectorInfoSchema,
  taskStateSchema,
  connectorStatusSchema,
  connectorOffsetsSchema,
  sourceLagSchema,
] as const
