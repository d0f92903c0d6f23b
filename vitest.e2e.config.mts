import { defineConfig } from 'vitest/config'

// Tier 3: a person's clicks in Chromium against the browser preview, real sockets behind it.
export default defineConfig({
  test: {
    name: 'e2e',
    reporters: process.env['CI'] ? ['default', ['json', { outputFile: 'test-results/e2e.json' }]] : ['default'],

    environment: 'node',
    include: ['test/e2e/**/*.test.ts'],
    // Every expect.poll has this budget unless it states its own: a page on a loaded machine can
    // take seconds to show what a quiet one shows at once (the 1 s default failed under load).
    expect: { poll: { timeout: 5_000, interval: 50 } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
})
