#!/usr/bin/env node
// The `socket-lab` command: runs the TypeScript CLI through tsx (a dev dependency).
require('tsx/cjs')
require('../src/cli/index.ts')
