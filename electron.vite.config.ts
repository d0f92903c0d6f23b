import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'

/**
 * The start-up stylesheet written into index.html instead of linked: a linked one blocks the first
 * paint until it has been fetched (measured: 45-95 ms of the preview's 110-145 ms first paint). The
 * page's CSP allows inline styles ('unsafe-inline' in style-src); scripts stay files. The CSS files
 * stay too: a chunk loaded later may still link one by name (a shared chunk's).
 */
function inlineEntryCss(): Plugin {
  return {
    name: 'socket-lab:inline-entry-css',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle ?? {}
        return html.replace(
          /<link rel="stylesheet"[^>]*href="\.\/(assets\/[^"]+\.css)"[^>]*>/g,
          (tag, file: string) => {
            const asset = bundle[file]
            if (!asset || asset.type !== 'asset') return tag
            // the file stays: a chunk loaded later may still ask for it by name
            return `<style>${String(asset.source)}</style>`
          },
        )
      },
    },
  }
}

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
    plugins: [vue(), inlineEntryCss()],
    // minified: what the window loads before its first paint is the start-up cost (issue 43)
    build: { chunkSizeWarningLimit: 400, minify: true },
  },
})
