import net from 'node:net'
import { describe, expect, it, vi } from 'vitest'
import { app, BrowserWindow, FakeWebContents, fake } from '../support/electron-fake'

describe('main entry', () => {
  it('opens the window when ready, and on quit closes every socket before letting the app go', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173/')
    fake.reset()
    const quit = vi.spyOn(app, 'quit')
    await import('../../src/main/index')
    await new Promise((r) => setTimeout(r, 0))
    expect(BrowserWindow.windows).toHaveLength(1)
    expect(fake.handlers.size).toBeGreaterThan(0)
    const page = new FakeWebContents('http://localhost:5173/')
    const r = (await fake.invoke('tcp:listen', page, { host: '127.0.0.1', port: 0 })) as {
      data: { local: { port: number } }
    }
    const port = r.data.local.port

    const first = { preventDefault: vi.fn() }
    app.emit('will-quit', first)
    expect(first.preventDefault).toHaveBeenCalled() // held until the sockets are closed
    await vi.waitFor(() => expect(quit).toHaveBeenCalled())
    expect(fake.handlers.size).toBe(0) // the lab shut down: handlers removed
    // the server socket is gone: its port can be bound again
    const probe = net.createServer()
    await new Promise<void>((ok, fail) => probe.once('error', fail).listen(port, '127.0.0.1', ok))
    await new Promise((ok) => probe.close(ok))

    const second = { preventDefault: vi.fn() }
    app.emit('will-quit', second)
    expect(second.preventDefault).not.toHaveBeenCalled()
    vi.unstubAllEnvs()
  })
})
