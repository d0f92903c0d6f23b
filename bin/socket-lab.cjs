#!/usr/bin/env node
// The `socket-lab` command: the CLI as built with the app (out/main/cli.js, `npm run build`),
// run by plain Node. In a fresh clone before a build, the TypeScript source through tsx.
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const built = join(__dirname, '..', 'out', 'main', 'cli.js')
if (existsSync(built)) require(built)
else {
  require('tsx/cjs')
  require('../src/cli/index.ts')
}
