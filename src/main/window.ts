import { app, BrowserWindow, dialog } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { catalogFor } from '../shared/i18n/catalog'

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
  if (base.protocol === 'file:')
    return u.protocol === 'file:' && u.host === base.host && sameAppFile(u.pathname, base.pathname, process.platform)
  return u.origin === base.origin
}

/**
 * Whether two file URL paths name the same file. On Windows Chromium upper-cases the drive letter
 * (`file:///C:/…`) while Node's pathToFileURL keeps the case it was given (`/c:/…`, from a
 * terminal whose cwd is `c:\…`), and the file system ignores case: compare decoded and folded.
 */
export function sameAppFile(a: string, b: string, platform: string): boolean {
  if (a === b) return true
  if (platform !== 'win32') return false
  const norm = (p: string): string | undefined => {
    try {
      return decodeURIComponent(p).replace(/\\/g, '/').toLowerCase()
    } catch {
      return undefined
    }
  }
  const na = norm(a)
  return na !== undefined && na === norm(b)
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
  // `ready-to-show` is not always emitted (electron/electron#7779, #25448): never stay hidden.
  win.webContents.once('did-finish-load', () => {
    if (!win.isDestroyed() && !win.isVisible()) win.show()
  })
  win.webContents.on('render-process-gone', (_e, details) => void pageGone(win, details.reason))
  void win.loadURL(appUrl())
  main = win
  win.on('closed', () => {
    if (main === win) main = undefined
  })
  return win
}

export function focusMainWindow(): void {
  if (!main) return
  if (!main.isVisible()) main.show()
  if (main.isMinimized()) main.restore()
  main.focus()
}

/**
 * The page crashed or was killed (`render-process-gone`): lab-ipc has already closed its sockets.
 * The window is shown (a crash before the first paint left it hidden), the user is told in the
 * app's language that the sockets were closed, and offered a reload (the default) or quit.
 */
async function pageGone(win: BrowserWindow, reason: string): Promise<void> {
  if (win.isDestroyed() || reason === 'clean-exit') return
  if (!win.isVisible()) win.show()
  const m = catalogFor(app.getLocale()).crash
  const r = await dialog.showMessageBox(win, {
    type: 'error',
    title: 'Socket Lab',
    message: m.title,
    detail: m.detail.replace('{reason}', reason),
    buttons: [m.reload, m.quit],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  })
  if (win.isDestroyed()) return
  if (r.response === 1) app.quit()
  else win.webContents.reload()
}
