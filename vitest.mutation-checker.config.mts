import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// What `npm run test:mutation:checker` runs for each mutant of the checker: its own tests, which
// grade Python solutions (correct and buggy) of every built-in exercise.
const electronFake = fileURLToPath(new URL('./test/support/electron-fake.ts', import.meta.url))
export default defineConfig({
  resolve: { alias: { electron: electronFake } },
  test: {
    name: 'mutation-checker',
    environment: 'node',
    include: ['test/main/engine/checker/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 10_000,
  },
})
