import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {},
  // A sandboxed preload cannot require() anything but 'electron': everything it imports from
  // src/shared is bundled into the one file.
  preload: {},
  renderer: {
    plugins: [vue()],
    build: { chunkSizeWarningLimit: 400 },
  },
})
