#!/usr/bin/env node
// The `socket-lab` command: runs the TypeScript CLI through tsx (a dev dependency).
import { register } from 'tsx/esm/api'
import { fileURLToPath } from 'node:url'

register()
await import(fileURLToPath(new URL('../src/cli/index.ts', import.meta.url)))
