import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// What `npm run test:mutation:engine` runs for each mutant of the engine's parsers and pure
// parts: the engine's own tests (real sockets where they need them), not the other tiers.
const electronFake = fileURLToPath(new URL('./test/support/electron-fake.ts', import.meta.url))
export default defineConfig({
  resolve: { alias: { electron: electronFake } },
  test: {
    name: 'mutation-engine',
    environment: 'node',
    include: ['test/main/engine/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
