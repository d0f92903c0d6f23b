import { defineConfig } from 'vitest/config'

// The real Electron app driven by Playwright's `_electron`: run by the release workflow on
// Windows, macOS and Linux (xvfb), after `npm run build`. Not runnable where Electron is absent.
export default defineConfig({
  test: {
    name: 'smoke',
    environment: 'node',
    include: ['test/smoke/**/*.smoke.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
