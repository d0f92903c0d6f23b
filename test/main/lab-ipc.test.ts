import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CHANNELS, EVENT_CHANNEL, type LabEvent } from '../../src/shared/contract'
import { registerLab, type LabRegistration } from '../../src/main/lab-ipc'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { app, FakeFrame, FakeWebContents, dialog, fake } from '../support/electron-fake'
import { until } from '../support/until'

const APP = 'http://localhost:5173/'
let lab: LabRegistration
let wc: FakeWebContents

beforeEach(() => {
  vi.stubEnv('ELECTRON_RENDERER_URL', APP)
  fake.reset()
  lab = registerLab()
  wc = new FakeWebContents(APP)
})
afterEach(async () => {
  await lab.shutdown()
  vi.unstubAllEnvs()
})

const sentEvents = (w: FakeWebContents): LabEvent[] =>
  w.sent.filter((s) => s.channel === EVENT_CHANNEL).flatMap((s) => s.args[0] as LabEvent[])

describe('IPC registration', () => {
  it('registers one handler per contract channel', () => {
    expect([...fake.handlers.keys()].sort()).toEqual([...CHANNELS].sort())
  })

  it('serves the app page and pushes its events in batches', async () => {
    const r = (await fake.invoke('tcp:listen', wc, { host: '127.0.0.1', port: 0 })) as {
      ok: boolean
      data: { id: string }
    }
    expect(r.ok).toBe(true)
    await until(() => sentEvents(wc).some((e) => e.kind === 'listening' && e.id === r.data.id))
  })

  it('refuses a frame that is not the app page, and a subframe', async () => {
    const other = new FakeWebContents('https://evil.example/')
    expect(await fake.invoke('tcp:listen', other, { host: '127.0.0.1', port: 0 })).toMatchObject({
      ok: false,
      code: 'EPERM',
    })
    expect(await fake.invoke('tcp:listen', wc, { host: '127.0.0.1', port: 0 }, new FakeFrame(APP))).toMatchObject({
      ok: false,
      code: 'EPERM',
    })
    expect(lab.engine.size).toBe(0)
  })

  it('validates requests in main', async () => {
    expect(await fake.invoke('tcp:connect', wc, { host: 'bad host', port: 1 })).toMatchObject({
      ok: false,
      code: 'EINVAL',
      field: 'host',
    })
    expect(await fake.invoke('udp:bind', wc, 'nonsense')).toMatchObject({ ok: false, code: 'EINVAL' })
  })

  it('saves a file where the user picks in the save dialog, and nowhere when cancelled', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-save-'))
    try {
      const data = Buffer.from('<html>页面</html>').toString('base64')
      dialog.nextSavePath = join(dir, 'page.html')
      expect(await fake.invoke('file:save', wc, { name: 'index.html', data })).toEqual({
        ok: true,
        data: { path: join(dir, 'page.html') },
      })
      expect(dialog.asked.at(-1)).toEqual({ defaultPath: 'index.html' })
      expect(await readFile(join(dir, 'page.html'), 'utf8')).toBe('<html>页面</html>')
      dialog.nextSavePath = undefined
      expect(await fake.invoke('file:save', wc, { name: 'x.html', data })).toEqual({ ok: true, data: { path: null } })
      expect(await fake.invoke('file:save', wc, { name: '../etc/passwd', data })).toMatchObject({
        ok: false,
        code: 'EINVAL',
        field: 'name',
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('keeps settings in the user data folder', async () => {
    const set = await fake.invoke('settings:set', wc, { theme: 'dark' })
    expect(set).toMatchObject({ ok: true, data: { theme: 'dark' } })
    const file = JSON.parse(await readFile(join(app.getPath('userData'), 'settings.json'), 'utf8')) as { theme: string }
    expect(file.theme).toBe('dark')
    expect(await fake.invoke('settings:get', wc, undefined)).toMatchObject({
      ok: true,
      data: { settings: { theme: 'dark' } },
    })
    expect(await fake.invoke('settings:set', wc, { logCapacity: 5 })).toMatchObject({ ok: false, code: 'EINVAL' })
  })

  it("closes a window's sockets when it goes, and only its sockets", async () => {
    const wc2 = new FakeWebContents(APP)
    await fake.invoke('tcp:listen', wc, { host: '127.0.0.1', port: 0 })
    await fake.invoke('udp:bind', wc2, { host: '127.0.0.1', port: 0 })
    expect(lab.engine.size).toBe(2)
    wc.destroy()
    await until(() => lab.engine.size === 1)
    expect(lab.engine.list()[0]!.kind).toBe('udp')
  })

  it("keeps a page's sockets through a navigation that starts and is cancelled; closes them when another document commits", async () => {
    await fake.invoke('udp:bind', wc, { host: '127.0.0.1', port: 0 })
    // A file dropped on the window: the navigation starts, then security.ts cancels it.
    wc.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false, url: 'file:///tmp/x.txt' })
    wc.emit('did-navigate-in-page', {}, APP + '#udp', true)
    await new Promise((r) => setTimeout(r, 20))
    expect(lab.engine.size).toBe(1)
    wc.emit('did-navigate', {}, APP, 200, 'OK') // a reload committed: a new page
    await until(() => lab.engine.size === 0)
  })

  it("closes them when an error page replaces the page, not when a subframe's load fails", async () => {
    await fake.invoke('udp:bind', wc, { host: '127.0.0.1', port: 0 })
    wc.emit('did-fail-provisional-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'file:///x', false)
    await new Promise((r) => setTimeout(r, 20))
    expect(lab.engine.size).toBe(1)
    wc.emit('did-fail-provisional-load', {}, -6, 'ERR_FILE_NOT_FOUND', APP, true)
    await until(() => lab.engine.size === 0)
  })

  it('a crashed or killed renderer: its sockets closed (no server behind a blank window), nothing more sent to it', async () => {
    const r = (await fake.invoke('udp:bind', wc, { host: '127.0.0.1', port: 0 })) as { data: { id: string } }
    await fake.invoke('tcp:listen', wc, { host: '127.0.0.1', port: 0 })
    await until(() => sentEvents(wc).some((e) => e.kind === 'listening' && e.id === r.data.id))
    wc.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 133 })
    await until(() => lab.engine.size === 0)
    const sent = wc.sent.length
    // a frame that is gone: sending to it throws (Electron logs it on every flush)
    wc.send = () => {
      throw new Error('Render frame was disposed before WebFrameMain could be accessed')
    }
    await new Promise((r) => setTimeout(r, 60))
    expect(wc.sent.length).toBe(sent)
    // the reload is a new page, with sockets of its own
    wc.send = FakeWebContents.prototype.send
    expect(await fake.invoke('udp:bind', wc, { host: '127.0.0.1', port: 0 })).toMatchObject({ ok: true })
    expect(lab.engine.size).toBe(1)
  })

  it('the page after a reload has sockets of its own; no listener is added per reload', async () => {
    for (let i = 0; i < 15; i++) {
      await fake.invoke('udp:bind', wc, { host: '127.0.0.1', port: 0 })
      wc.emit('did-navigate', {}, APP, 200, 'OK')
    }
    await until(() => lab.engine.size === 0)
    const r = (await fake.invoke('udp:bind', wc, { host: '127.0.0.1', port: 0 })) as {
      ok: boolean
      data: { id: string }
    }
    expect(r.ok).toBe(true)
    await until(() => sentEvents(wc).some((e) => e.kind === 'listening' && e.id === r.data.id))
    expect(lab.engine.size).toBe(1)
    for (const event of ['destroyed', 'did-navigate', 'did-fail-provisional-load', 'render-process-gone']) {
      expect(wc.listenerCount(event), event).toBe(1)
    }
  })

  it('shutdown closes everything and removes the handlers', async () => {
    await fake.invoke('tcp:listen', wc, { host: '127.0.0.1', port: 0 })
    await lab.shutdown()
    expect(lab.engine.size).toBe(0)
    expect(fake.handlers.size).toBe(0)
    lab = registerLab() // afterEach shuts this one down
  })
})
