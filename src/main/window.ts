import { BrowserWindow } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** The one page this app shows: the dev server in development, the built file otherwise. */
export function appUrl(): string {
  const dev = process.env['ELECTRON_RENDERER_URL']
  return dev ?? pathToFileURL(join(__dirname, '../renderer/index.html')).href
}

/** True for the app's own page (and nothing else: no other file, host or frame). */
export function isAppUrl(url: string): boolean {
  const base = appUrl()
  return (
    url === base ||
    url.startsWith(base + '#') ||
    url.startsWith(base + '?') ||
    (base.endsWith('/') && url.startsWith(base))
  )
}

let main: BrowserWindow | undefined

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Socket Lab',
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click must not open links in new windows (window.open is denied too).
      disableBlinkFeatures: 'Auxclick',
    },
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(appUrl())
  main = win
  win.on('closed', () => {
    if (main === win) main = undefined
  })
  return win
}

export function focusMainWindow(): void {
  if (!main) return
  if (main.isMinimized()) main.restore()
  main.focus()
}
