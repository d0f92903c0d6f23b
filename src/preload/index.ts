/**
 * The bridge: one named method per contract operation, plus onEvent(). Nothing else of
 * Electron reaches the page; there is no generic invoke(channel).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { CHANNELS, EVENT_CHANNEL, methodName, type LabApi, type LabEvent } from '../shared/contract'

export function buildApi(): LabApi {
  const api: Record<string, unknown> = {}
  for (const channel of CHANNELS) {
    api[methodName(channel)] = (req?: unknown) => ipcRenderer.invoke(channel, req)
  }
  api.onEvent = (cb: (batch: LabEvent[]) => void) => {
    const listener = (_e: IpcRendererEvent, batch: LabEvent[]): void => cb(batch)
    ipcRenderer.on(EVENT_CHANNEL, listener)
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, listener)
  }
  return Object.freeze(api) as LabApi
}

contextBridge.exposeInMainWorld('socketLab', buildApi())
