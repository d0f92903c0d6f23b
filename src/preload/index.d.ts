import type { LabApi } from '../shared/contract'

declare global {
  interface Window {
    /** Present in Electron (preload) and in the browser preview (bridge). */
    socketLab?: LabApi
  }
}
