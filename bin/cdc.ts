#!/usr/bin/env node
import { installedPlugins } from '../connectors/index.ts'
import { joinConnectorPlugin } from '../enrichment/join-plugin.ts'
import { main } from '../service/main.ts'

// The stream-table join runs under the same runtime as the source connectors.
await main([...installedPlugins, joinConnectorPlugin])
