#!/usr/bin/env node
import { installedPlugins } from '../connectors/index.ts'
import { main } from '../service/main.ts'

await main(installedPlugins)
