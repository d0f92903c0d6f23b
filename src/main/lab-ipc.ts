/**
 * Wires the engine to Electron: one ipcMain handler per contract channel, each checking its
 * sender; one event batcher per window; a window's sockets closed when it reloads or goes.
 */
import { writeFile } from 'node:fs/promises'
import { app, BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { CHANNELS, EVENT_CHANNEL, type LabHandlers } from '../shared/contract'
import { EventRouter } from './engine/batcher'
import { SocketEngine } from './engine/engine'
import { createHandlers } from './engine/service'
import { isAppUrl } from './window'
import { openSettings, type SettingsFile } from './settings-file'

export interface LabRegistration {
  engine: SocketEngine
  shutdown(): Promise<void>
}

function trusted(e: IpcMainInvokeEvent): boolean {
  const frame = e.senderFrame
  return !!frame && frame === e.sender.mainFrame && isAppUrl(frame.url)
}

/** The OS save dialog, parented to the asking window; the page never picks a path itself. */
async function saveWithDialog(wc: WebContents, name: string, bytes: Buffer): Promise<{ path: string | null }> {
  const win = BrowserWindow.fromWebContents(wc)
  const opts = { defaultPath: name }
  const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts)
  if (r.canceled || !r.filePath) return { path: null }
  await writeFile(r.filePath, bytes)
  return { path: r.filePath }
}

export function registerLab(): LabRegistration {
  const router = new EventRouter()
  const engine = new SocketEngine(router.push)
  const perWindow = new Map<number, LabHandlers>()
  // One settings file for the app, in the user data folder, opened on first use.
  let settings: Promise<SettingsFile> | undefined
  const settingsFile = (): Promise<SettingsFile> => (settings ??= openSettings(app.getPath('userData')))

  const handlersFor = (wc: WebContents): LabHandlers => {
    const known = perWindow.get(wc.id)
    if (known) return known
    const owner = `w${wc.id}`
    router.attach(owner, (batch) => {
      if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, batch)
    })
    const release = (): void => {
      wc.off('did-start-navigation', onNavigate)
      perWindow.delete(wc.id)
      router.detach(owner)
      void engine.closeOwner(owner)
    }
    // A reloaded page has lost track of the old page's sockets: close them, never leak them.
    const onNavigate = (e: Electron.Event<Electron.WebContentsDidStartNavigationEventParams>): void => {
      if (e.isMainFrame && !e.isSameDocument) release()
    }
    wc.on('did-start-navigation', onNavigate)
    wc.once('destroyed', release)
    const handlers = createHandlers(
      engine,
      owner,
      { version: app.getVersion(), platform: process.platform, host: 'electron' },
      {
        saveFile: (req) => saveWithDialog(wc, req.name, Buffer.from(req.data, 'base64')),
        settings: settingsFile,
      },
    )
    perWindow.set(wc.id, handlers)
    return handlers
  }

  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (e, req: unknown) => {
      if (!trusted(e)) return { ok: false, code: 'EPERM', message: 'IPC from an untrusted frame was refused' }
      return (handlersFor(e.sender)[channel] as (r: unknown) => unknown)(req)
    })
  }

  return {
    engine,
    async shutdown() {
      for (const channel of CHANNELS) ipcMain.removeHandler(channel)
      router.dispose()
      await engine.closeAll()
    },
  }
}
