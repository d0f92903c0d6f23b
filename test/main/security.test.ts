import { beforeEach, describe, expect, it, vi } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ALLOWED_PERMISSIONS, registerSecurity } from '../../src/main/security'
import { createMainWindow } from '../../src/main/window'
import { app, BrowserWindow, FakeWebContents, fake, session } from '../support/electron-fake'

const APP = 'http://localhost:5173/'
beforeEach(() => {
  vi.stubEnv('ELECTRON_RENDERER_URL', APP)
  fake.reset()
})

describe('the window', () => {
  it('is sandboxed and isolated, and loads only the app page', () => {
    createMainWindow()
    const win = BrowserWindow.windows[0]!
    expect(win.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    })
    expect(win.loadedUrl).toBe(APP)
  })
})

describe('registerSecurity', () => {
  it('denies navigation away from the app, new windows and webviews', () => {
    registerSecurity()
    const wc = new FakeWebContents(APP)
    app.emit('web-contents-created', {}, wc)
    // Electron 35+: the URL is on the event (the positional argument is deprecated).
    const away = { preventDefault: vi.fn(), url: 'https://example.com/' }
    wc.emit('will-navigate', away, 'ignored')
    expect(away.preventDefault).toHaveBeenCalled()
    const home = { preventDefault: vi.fn(), url: APP }
    wc.emit('will-navigate', home, 'https://example.com/')
    expect(home.preventDefault).not.toHaveBeenCalled()
    const file = { preventDefault: vi.fn(), url: 'file:///home/student/notes.txt' } // a file dropped on the window
    wc.emit('will-navigate', file)
    expect(file.preventDefault).toHaveBeenCalled()
    const redirect = { preventDefault: vi.fn(), url: 'https://example.com/' }
    wc.emit('will-redirect', redirect)
    expect(redirect.preventDefault).toHaveBeenCalled()
    const webview = { preventDefault: vi.fn() }
    wc.emit('will-attach-webview', webview)
    expect(webview.preventDefault).toHaveBeenCalled()
    expect(wc.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' })
  })

  type Request = (wc: unknown, p: string, cb: (ok: boolean) => void, d: object) => void
  type Check = (wc: unknown, p: string, origin: string, d: object) => boolean
  const handlers = async (): Promise<{ request: Request; check: Check }> => {
    registerSecurity()
    await Promise.resolve()
    return {
      request: session.defaultSession.permissionRequestHandler as Request,
      check: session.defaultSession.permissionCheckHandler as Check,
    }
  }
  const ask = (request: Request, permission: string, d: object): boolean => {
    const cb = vi.fn()
    request({}, permission, cb, d)
    expect(cb).toHaveBeenCalledTimes(1)
    return cb.mock.calls[0]![0] as boolean
  }

  it('lets the app page write the clipboard ("Copy address"), as a request and as a check', async () => {
    const { request, check } = await handlers()
    expect(ask(request, 'clipboard-sanitized-write', { requestingUrl: APP, isMainFrame: true })).toBe(true)
    expect(
      check(null, 'clipboard-sanitized-write', 'http://localhost:5173', { requestingUrl: APP, isMainFrame: true }),
    ).toBe(true)
  })

  it('denies every other permission, and the clipboard to another page or a subframe', async () => {
    const { request, check } = await handlers()
    for (const p of ['media', 'clipboard-read', 'notifications', 'geolocation', 'openExternal', 'local-network-access'])
      expect(ask(request, p, { requestingUrl: APP, isMainFrame: true }), p).toBe(false)
    expect(
      ask(request, 'clipboard-sanitized-write', { requestingUrl: 'https://evil.example/', isMainFrame: true }),
    ).toBe(false)
    expect(ask(request, 'clipboard-sanitized-write', { requestingUrl: APP, isMainFrame: false })).toBe(false)
    expect(
      check(null, 'clipboard-sanitized-write', 'https://evil.example', {
        requestingUrl: 'https://evil.example/',
        isMainFrame: true,
      }),
    ).toBe(false)
    expect(check(null, 'media', 'http://localhost:5173', { requestingUrl: APP, isMainFrame: true })).toBe(false)
  })

  it('has an allow entry for every permission-gated web API the renderer calls', () => {
    // Each API the renderer uses that Chromium puts behind a permission, and the permission it asks.
    const gated: [RegExp, string][] = [
      [/navigator\.clipboard\.(writeText|write)\b/, 'clipboard-sanitized-write'],
      [/navigator\.clipboard\.(readText|read)\b/, 'clipboard-read'],
      [/new Notification\b|Notification\.requestPermission/, 'notifications'],
      [/getUserMedia|getDisplayMedia/, 'media'],
      [/navigator\.geolocation/, 'geolocation'],
      [/requestMIDIAccess/, 'midi'],
      [/navigator\.(serial|usb|hid)\b/, 'serial'],
    ]
    const files = readdirSync('src/renderer/src', { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.(ts|vue)$/.test(f),
    )
    const used = new Set<string>()
    for (const f of files) {
      const text = readFileSync(join('src/renderer/src', f), 'utf8')
      for (const [re, permission] of gated) if (re.test(text)) used.add(permission)
    }
    expect(used.has('clipboard-sanitized-write')).toBe(true) // ClassBanner's "Copy address"
    for (const p of used) expect(ALLOWED_PERMISSIONS, `the renderer uses an API behind '${p}'`).toContain(p)
  })
})
