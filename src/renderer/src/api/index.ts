/**
 * Where the renderer's API comes from: the preload in Electron, or the local bridge in the
 * browser preview. Only the stores call it.
 */
import type { LabApi } from '../../../shared/contract'
import { createBridgeApi } from './bridge'

let api: LabApi | undefined

export function getApi(): LabApi {
  if (api) return api
  if (window.socketLab) return (api = window.socketLab)
  const token = new URLSearchParams(window.location.search).get('token')
  if (token) return (api = createBridgeApi(token))
  throw new Error('Socket Lab API is not available: open the app, or the preview URL with its token.')
}

/** Tests inject a typed fake. */
export function setApi(fake: LabApi | undefined): void {
  api = fake
}
