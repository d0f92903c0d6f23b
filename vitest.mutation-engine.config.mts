import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// What `npm run test:mutation:engine` runs for each mutant of the engine's readers of the OS and
// its errors: their own tests (the inspector's live ones on real sockets), not the socket tiers.
const electronFake = fileURLToPath(new URL('./test/support/electron-fake.ts', import.meta.url))
export default defineConfig({
  resolve: { alias: { electron: electronFake } },
  test: {
    name: 'mutation-engine',
    environment: 'node',
    include: ['test/main/engine/inspector/**/*.test.ts', 'test/main/engine/errors.test.ts'],
    // the live reading's cost bound (< 50 ms) is a timing the instrumented code cannot keep
    testNamePattern: /^(?!.*live, on Linux reads \/proc\/net cheaply)/,
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
