/**
 * The one central fake of `electron` for unit tests (aliased in vitest.config.ts). It records
 * what main and preload ask of Electron and lets a test play the other side: invoke an IPC
 * handler as a given frame, push an event to the preload, destroy or navigate a window.
 */
import { EventEmitter } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

type Handler = (event: unknown, ...args: unknown[]) => unknown

export class FakeFrame {
  constructor(public url: string) {}
}

export class FakeWebContents extends EventEmitter {
  static nextId = 1
  readonly id = FakeWebContents.nextId++
  readonly sent: { channel: string; args: unknown[] }[] = []
  readonly mainFrame: FakeFrame
  destroyed = false
  windowOpenHandler?: (details: unknown) => unknown

  constructor(url: string) {
    super()
    this.mainFrame = new FakeFrame(url)
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('send on a destroyed webContents')
    this.sent.push({ channel, args })
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  setWindowOpenHandler(h: (details: unknown) => unknown): void {
    this.windowOpenHandler = h
  }
  destroy(): void {
    this.destroyed = true
    this.emit('destroyed')
  }
  reloads = 0
  reload(): void {
    this.reloads++
  }
  getURL(): string {
    return this.mainFrame.url
  }
}

const appEvents = new EventEmitter()
export const app = Object.assign(appEvents, {
  requestSingleInstanceLock: () => true,
  quit: () => undefined,
  whenReady: () => Promise.resolve(),
  getVersion: () => '0.0.0-test',
  getLocale: () => 'en-US',
  /** False as under `electron .` / `electron-vite dev`; a test sets it true for an installed app. */
  isPackaged: false,
  /** userData: a fresh temporary folder per test run. */
  userData: '',
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`fake app.getPath: ${name}`)
    this.userData ||= mkdtempSync(join(tmpdir(), 'lab-userdata-'))
    return this.userData
  },
})

const handlers = new Map<string, Handler>()
export const ipcMain = {
  handle(channel: string, fn: Handler): void {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    handlers.set(channel, fn)
  },
  removeHandler(channel: string): void {
    handlers.delete(channel)
  },
}

export const session = {
  defaultSession: {
    permissionRequestHandler: undefined as unknown,
    permissionCheckHandler: undefined as unknown,
    setPermissionRequestHandler(h: unknown) {
      this.permissionRequestHandler = h
    },
    setPermissionCheckHandler(h: unknown) {
      this.permissionCheckHandler = h
    },
  },
}

export class BrowserWindow extends EventEmitter {
  static windows: BrowserWindow[] = []
  readonly webContents: FakeWebContents
  loadedUrl?: string
  constructor(readonly options: Record<string, unknown>) {
    super()
    this.webContents = new FakeWebContents('')
    BrowserWindow.windows.push(this)
  }
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.windows
  }
  static fromWebContents(wc: FakeWebContents): BrowserWindow | null {
    return BrowserWindow.windows.find((w) => w.webContents === wc) ?? null
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url
    this.webContents.mainFrame.url = url
    return Promise.resolve()
  }
  /** Hidden until shown (`show: false` until ready-to-show, as the app creates it). */
  visible = false
  show(): void {
    this.visible = true
  }
  isVisible(): boolean {
    return this.visible
  }
  isDestroyed(): boolean {
    return this.webContents.destroyed
  }
  focus(): void {
    // no real window here
  }
  restore(): void {
    // no real window here
  }
  isMinimized(): boolean {
    return false
  }
}

/** The application menu as the app set it: `Menu.current` holds the template it was built from. */
export const Menu = {
  current: undefined as unknown[] | undefined,
  buildFromTemplate(template: unknown[]): { template: unknown[] } {
    return { template }
  },
  setApplicationMenu(menu: { template: unknown[] } | null): void {
    this.current = menu ? menu.template : undefined
  },
}

/** The save dialog answers with `dialog.nextSavePath` (undefined: the user cancelled). */
export const dialog = {
  nextSavePath: undefined as string | undefined,
  asked: [] as { defaultPath?: string }[],
  /** Message boxes shown, and the button the user picks (its index). */
  messages: [] as { window: unknown; options: Record<string, unknown> }[],
  nextResponse: 0,
  showMessageBox(window: unknown, options: Record<string, unknown>): Promise<{ response: number }> {
    this.messages.push({ window, options })
    return Promise.resolve({ response: this.nextResponse })
  },
  showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> {
    // Electron's overloads: (window, options) or (options).
    this.asked.push(args.at(-1) as { defaultPath?: string })
    const filePath = this.nextSavePath
    return Promise.resolve(filePath ? { canceled: false, filePath } : { canceled: true })
  },
}

export const exposed: Record<string, unknown> = {}
export const contextBridge = {
  exposeInMainWorld(name: string, api: unknown): void {
    exposed[name] = api
  },
}

const rendererEvents = new EventEmitter()
export const ipcRenderer = {
  invokes: [] as { channel: string; args: unknown[] }[],
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invokes.push({ channel, args })
    return Promise.resolve({ ok: true, data: { channel, args } })
  },
  on(channel: string, l: (...a: unknown[]) => void) {
    rendererEvents.on(channel, l)
    return this
  },
  removeListener(channel: string, l: (...a: unknown[]) => void) {
    rendererEvents.off(channel, l)
    return this
  },
  listenerCount(channel: string): number {
    return rendererEvents.listenerCount(channel)
  },
}

/** Test controls. */
export const fake = {
  handlers,
  /** Calls a registered ipcMain handler as `sender` (its main frame unless `frame` is given). */
  invoke(
    channel: string,
    sender: FakeWebContents,
    req: unknown,
    frame: FakeFrame = sender.mainFrame,
  ): Promise<unknown> {
    const h = handlers.get(channel)
    if (!h) throw new Error(`no handler for ${channel}`)
    return Promise.resolve(h({ sender, senderFrame: frame }, req))
  },
  pushToRenderer(channel: string, ...args: unknown[]): void {
    rendererEvents.emit(channel, {}, ...args)
  },
  reset(): void {
    if (app.userData) rmSync(app.userData, { recursive: true, force: true })
    app.userData = ''
    app.isPackaged = false
    handlers.clear()
    appEvents.removeAllListeners()
    rendererEvents.removeAllListeners()
    BrowserWindow.windows = []
    ipcRenderer.invokes = []
    dialog.nextSavePath = undefined
    dialog.asked = []
    dialog.messages = []
    dialog.nextResponse = 0
    Menu.current = undefined
    for (const k of Object.keys(exposed)) delete exposed[k]
  },
}

export default { app, ipcMain, session, BrowserWindow, contextBridge, ipcRenderer, dialog, Menu }
