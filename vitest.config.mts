import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const electronFake = fileURLToPath(new URL('./test/support/electron-fake.ts', import.meta.url))

export default defineConfig({
  test: {
    reporters: process.env['CI'] ? ['default', ['json', { outputFile: 'test-results/unit.json' }]] : ['default'],
    projects: [
      {
        // Tier 1: the engine, the contract, the CLI and the bridge, on real sockets.
        resolve: { alias: { electron: electronFake } },
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/{main,shared,cli,preview,preload,package,scripts,architecture,bench}/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        // Tier 2: stores and components with a typed fake of the preload API.
        plugins: [vue()],
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['test/renderer/**/*.test.ts'],
          setupFiles: ['test/renderer/setup.ts'],
        },
      },
    ],
  },
})
