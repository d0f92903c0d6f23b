import { defineConfig } from 'vitest/config'

// What `npm run test:mutation:shared` runs for each mutant of src/shared: the shared unit tests
// only (pure functions, seconds), not the socket tiers that also import these modules.
export default defineConfig({
  test: { name: 'mutation-shared', environment: 'node', include: ['test/shared/**/*.test.ts'] },
})
