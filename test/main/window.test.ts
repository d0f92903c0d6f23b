/**
 * Which page the window trusts. In development electron-vite 6 sets ELECTRON_RENDERER_URL; its
 * exact form is read from electron-vite's own code here, so an upgrade that changes it is seen.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { appUrl, createMainWindow, focusMainWindow, isAppUrl, sameAppFile } from '../../src/main/window'
import { app, BrowserWindow, dialog, fake } from '../support/electron-fake'

/** `process.env.ELECTRON_RENDERER_URL = ...` as electron-vite's dev server writes it. */
function electronViteDevUrl(host: string, port: number): string {
  const dist = join(dirname(createRequire(import.meta.url).resolve('electron-vite')), 'chunks')
  const line = readdirSync(dist)
    .map((f) => readFileSync(join(dist, f), 'utf8'))
    .flatMap((text) => text.split('\n'))
    .find((l) => l.includes('process.env.ELECTRON_RENDERER_URL ='))
  expect(line, 'electron-vite no longer sets ELECTRON_RENDERER_URL where it did').toBeDefined()
  const template = /`(.*)`/.exec(line!)![1]!
  return template.replace('${protocol}', 'http:').replace('${host}', host).replace('${port}', String(port))
}

beforeEach(() => fake.reset())
afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

describe('the app page in development (electron-vite dev)', () => {
  const dev = electronViteDevUrl('localhost', 5173)

  it('electron-vite gives the URL without a trailing slash; the frame reports it with one: both are the app', () => {
    expect(dev).toBe('http://localhost:5173')
    vi.stubEnv('ELECTRON_RENDERER_URL', dev)
    expect(isAppUrl('http://localhost:5173/')).toBe(true)
    expect(isAppUrl('http://localhost:5173/#/udp')).toBe(true)
    expect(isAppUrl('http://localhost:5173/src/main.ts?t=1')).toBe(true)
    createMainWindow()
    expect(BrowserWindow.windows[0]!.loadedUrl).toBe('http://localhost:5173/')
  })

  it('trusts nothing else: another port, host or scheme, a look-alike host, garbage', () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', dev)
    for (const url of [
      'http://localhost:5174/',
      'http://localhost:5173.evil.example/',
      'http://127.0.0.1:5173/',
      'https://localhost:5173/',
      'file:///index.html',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false)
    }
  })
})

describe('the app page when installed', () => {
  it('ignores ELECTRON_RENDERER_URL: loads and trusts only the built index.html', () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173')
    app.isPackaged = true
    expect(appUrl()).toMatch(/^file:\/\/.*\/renderer\/index\.html$/)
    expect(isAppUrl('http://localhost:5173/')).toBe(false)
    createMainWindow()
    expect(BrowserWindow.windows[0]!.loadedUrl).toBe(appUrl())
  })

  it('the built file with a query or fragment is the app; another file beside it is not', () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', '')
    const page = appUrl()
    expect(page).toMatch(/^file:/)
    expect(isAppUrl(page)).toBe(true)
    expect(isAppUrl(page + '#/chat')).toBe(true)
    expect(isAppUrl(page + '?lang=zh-CN')).toBe(true)
    expect(isAppUrl(page.replace('index.html', 'other.html'))).toBe(false)
    expect(isAppUrl('file:///etc/passwd')).toBe(false)
  })
})

describe('the app page on Windows: the drive letter', () => {
  it("sameAppFile: Chromium's C: and Node's c: are one file on Windows, percent-encoding decoded; elsewhere case counts", () => {
    const node = '/c:/Users/Ann/AppData/Local/Programs/socket-lab/resources/app.asar/out/renderer/index.html'
    const chromium = '/C:/Users/Ann/AppData/Local/Programs/socket-lab/resources/app.asar/out/renderer/index.html'
    expect(sameAppFile(chromium, node, 'win32')).toBe(true)
    expect(
      sameAppFile('/C:/Program%20Files/Socket%20Lab/index.html', '/c:/Program Files/Socket Lab/index.html', 'win32'),
    ).toBe(true)
    expect(sameAppFile(chromium.replace('index.html', 'other.html'), node, 'win32')).toBe(false)
    expect(sameAppFile('/D:/x/index.html', '/c:/x/index.html', 'win32')).toBe(false)
    expect(sameAppFile('/C:/bad%zz/index.html', '/c:/bad%zz/index.html', 'win32')).toBe(false)
    expect(sameAppFile(chromium, node, 'linux')).toBe(false)
    expect(sameAppFile(node, node, 'linux')).toBe(true)
  })

  it('isAppUrl takes the frame URL Chromium reports when the app was started from a c:\\ path', () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!
    Object.defineProperty(process, 'platform', { value: 'win32' })
    try {
      vi.stubEnv('ELECTRON_RENDERER_URL', '')
      app.isPackaged = true
      const built = new URL(appUrl())
      // the same page as Chromium canonicalises it: the first letter of the path upper-cased
      const canonical = `file://${built.host}${built.pathname.replace(/^\/(.)/, (_m, c: string) => `/${c.toUpperCase()}`)}`
      const lowered = `file://${built.host}${built.pathname.toLowerCase()}`
      expect(isAppUrl(canonical)).toBe(true)
      expect(isAppUrl(lowered)).toBe(true)
      expect(isAppUrl(lowered.replace('index.html', 'other.html'))).toBe(false)
    } finally {
      Object.defineProperty(process, 'platform', platform)
    }
  })
})

describe('a page that crashed or was killed (render-process-gone)', () => {
  const gone = (reason: string): BrowserWindow => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173')
    const win = createMainWindow() as unknown as BrowserWindow
    win.webContents.emit('render-process-gone', {}, { reason, exitCode: 133 })
    return win
  }

  it('shows the window (a crash before the first paint left it hidden), says so in the app language, reloads', async () => {
    vi.spyOn(app, 'getLocale').mockReturnValue('zh-CN' as 'en-US')
    const win = gone('crashed')
    expect(win.isVisible()).toBe(true)
    await vi.waitFor(() => expect(win.webContents.reloads).toBe(1))
    const box = dialog.messages[0]!.options
    expect(box['message']).toBe('Socket Lab 页面已停止')
    expect(box['detail']).toContain('crashed')
    expect(box['buttons']).toEqual(['重新加载', '退出'])
  })

  it('quits when the user picks Quit, and says nothing when the page exited cleanly', async () => {
    const quit = vi.spyOn(app, 'quit')
    dialog.nextResponse = 1
    const win = gone('oom')
    await vi.waitFor(() => expect(quit).toHaveBeenCalled())
    expect(win.webContents.reloads).toBe(0)
    fake.reset()
    const clean = gone('clean-exit')
    await Promise.resolve()
    expect(dialog.messages).toEqual([])
    expect(clean.webContents.reloads).toBe(0)
  })

  it('a window whose ready-to-show never came is shown when its page has loaded, and by a second launch', () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173')
    const win = createMainWindow() as unknown as BrowserWindow
    expect(win.isVisible()).toBe(false)
    win.webContents.emit('did-finish-load')
    expect(win.isVisible()).toBe(true)
    fake.reset()
    const hidden = createMainWindow() as unknown as BrowserWindow
    focusMainWindow()
    expect(hidden.isVisible()).toBe(true)
  })
})
