import { defineConfig } from 'vitest/config'

// Tier 4: a classroom LAN on one machine, in network namespaces (Linux, root): real separate
// hosts with their own addresses. One file at a time: each builds its own LAN of 31 hosts.
export default defineConfig({
  test: {
    name: 'lan',
    reporters: process.env['CI'] ? ['default', ['json', { outputFile: 'test-results/lan.json' }]] : ['default'],
    environment: 'node',
    include: ['test/lan/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
})
