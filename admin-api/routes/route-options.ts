import type { ConnectService } from '../connect-service.ts'
import { assertConnectorName } from '../connector-name.ts'

export interface RouteOptions {
  service: ConnectService
}

/** The path's connector name, refused with a 400 when no connector could ever have it. */
export function connectorName(params: { name: string }): string {
  assertConnectorName(params.name)
  return params.name
}

export const connectorsTag = ['connectors']
