/**
 * Wires the engine to Electron: one ipcMain handler per contract channel, each checking its
 * sender; one event batcher per page; a page's sockets closed when another document replaces it
 * or its window goes.
 */
import { join } from 'node:path'
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
  // the lab's TLS certificate is kept per installation, in the user data folder
  const engine = new SocketEngine(router.push, { certDir: join(app.getPath('userData'), 'tls') })
  /** The page now shown in each webContents: its owner name and handlers. */
  const pages = new Map<number, { owner: string; handlers: LabHandlers }>()
  const wired = new Set<number>()
  let pageSeq = 0
  // One settings file for the app, in the user data folder, opened on first use.
  let settings: Promise<SettingsFile> | undefined
  const settingsFile = (): Promise<SettingsFile> => (settings ??= openSettings(app.getPath('userData')))

  /** The page's sockets are closed; the next call from this webContents is a new page. */
  const release = (wc: WebContents): void => {
    const page = pages.get(wc.id)
    if (!page) return
    pages.delete(wc.id)
    router.detach(page.owner)
    void engine.closeOwner(page.owner)
  }

  /**
   * Once per webContents, whatever it reloads. A page's sockets go when a new document has
   * replaced it (`did-navigate`, or an error page: `did-fail-provisional-load`), never when a
   * navigation merely starts: one that is then cancelled (a file dropped on the window, denied
   * by security.ts) leaves the page, and what it shows, as it was. Electron emits both from
   * DidFinishNavigation for committed navigations only. A renderer that crashed or was killed
   * (`render-process-gone`) leaves its webContents alive but its page gone: its servers must not
   * go on serving behind a blank window, and its event sink must stop (every send to a disposed
   * frame logs an error, up to 60 times a second). The reload window.ts offers is a new page.
   */
  const wire = (wc: WebContents): void => {
    if (wired.has(wc.id)) return
    wired.add(wc.id)
    wc.on('did-navigate', () => release(wc))
    wc.on('render-process-gone', () => release(wc))
    wc.on('did-fail-provisional-load', (_e, _code, _desc, _url, isMainFrame) => {
      if (isMainFrame) release(wc)
    })
    wc.once('destroyed', () => {
      release(wc)
      wired.delete(wc.id)
    })
  }

  const handlersFor = (wc: WebContents): LabHandlers => {
    const known = pages.get(wc.id)
    if (known) return known.handlers
    wire(wc)
    const owner = `w${wc.id}p${++pageSeq}`
    router.attach(owner, (batch) => {
      if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, batch)
    })
    const handlers = createHandlers(
      engine,
      owner,
      { version: app.getVersion(), platform: process.platform, host: 'electron' },
      {
        saveFile: (req) => saveWithDialog(wc, req.name, Buffer.from(req.data, 'base64')),
        settings: settingsFile,
      },
    )
    pages.set(wc.id, { owner, handlers })
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
