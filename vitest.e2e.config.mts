import { defineConfig } from 'vitest/config'

// Tier 3: a person's clicks in Chromium against the browser preview, real sockets behind it.
export default defineConfig({
  test: {
    name: 'e2e',
    reporters: process.env['CI'] ? ['default', ['json', { outputFile: 'test-results/e2e.json' }]] : ['default'],

    environment: 'node',
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
})
