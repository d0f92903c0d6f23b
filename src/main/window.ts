import { app, BrowserWindow } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * The dev server's URL, set by `electron-vite dev`. An installed app never honours it: anything
 * that started it with this variable set would have it load that URL and trust it with raw
 * sockets and file saves.
 */
function devServerUrl(): string | undefined {
  return app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'] || undefined
}

/** The one page this app shows: the dev server in development, the built file otherwise. */
export function appUrl(): string {
  const dev = devServerUrl()
  // electron-vite 6 gives `http://localhost:5173`, no trailing slash; the frame reports
  // `http://localhost:5173/`. Both are the same URL once parsed.
  return dev ? new URL(dev).href : pathToFileURL(join(__dirname, '../renderer/index.html')).href
}

/**
 * True for the app's own page and nothing else: in development any page of the dev server's
 * origin; installed, the built index.html itself (any query or fragment), no other file.
 */
export function isAppUrl(url: string): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  const base = new URL(appUrl())
  if (base.protocol === 'file:') return u.protocol === 'file:' && u.host === base.host && u.pathname === base.pathname
  return u.origin === base.origin
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
