import { beforeEach, describe, expect, it, vi } from 'vitest'
import { registerSecurity } from '../../src/main/security'
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

  it('denies every permission request and check', async () => {
    registerSecurity()
    await Promise.resolve()
    const cb = vi.fn()
    ;(session.defaultSession.permissionRequestHandler as (a: unknown, p: string, c: (ok: boolean) => void) => void)(
      {},
      'media',
      cb,
    )
    expect(cb).toHaveBeenCalledWith(false)
    expect((session.defaultSession.permissionCheckHandler as () => boolean)()).toBe(false)
  })
})
