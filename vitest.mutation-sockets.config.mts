import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// What `npm run test:mutation:sockets` runs for each mutant of the engine's socket code (tcp/,
// udp/, backlog/, checker/, the registry, the batcher...): the engine's own tests, on real
// sockets and Python peers, not the CLI, bridge or renderer tiers that reach it through a process.
const electronFake = fileURLToPath(new URL('./test/support/electron-fake.ts', import.meta.url))
export default defineConfig({
  resolve: { alias: { electron: electronFake } },
  test: {
    name: 'mutation-sockets',
    environment: 'node',
    include: ['test/main/engine/**/*.test.ts'],
    // the live reading's cost bound (< 50 ms) is a timing the instrumented code cannot keep
    testNamePattern: /^(?!.*live, on Linux reads \/proc\/net cheaply)/,
    // a mutant that hangs a test fails it sooner (the slowest test here takes 6 s)
    testTimeout: 10_000,
    hookTimeout: 10_000,
  },
})
