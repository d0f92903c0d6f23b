import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  // The CLI is built with main (out/main/cli.js): the same engine, run by plain Node (the
  // `socket-lab` bin) or by the installed app's own executable (`--cli`, src/main/cli-switch.ts).
  main: {
    // A module loaded only when used (the certificate maker) is a require() put off, not an ESM
    // import(): Electron's import() has failed to find packages inside app.asar
    // (electron/electron#38957).
    build: {
      rollupOptions: {
        input: { index: 'src/main/index.ts', cli: 'src/cli/index.ts' },
        output: { dynamicImportInCjs: false },
      },
    },
  },
  // A sandboxed preload cannot require() anything but 'electron': everything it imports from
  // src/shared is bundled into the one file.
  preload: {},
  renderer: {
    plugins: [vue()],
    // minified: what the window loads before its first paint is the start-up cost (issue 43)
    build: { chunkSizeWarningLimit: 400, minify: true },
  },
})
