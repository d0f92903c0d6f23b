import { afterEach, describe, expect, it } from 'vitest'
import { createHandlers } from '../../../src/main/engine/service'
import { builtInExercises } from '../../../src/main/engine/checker/exercises'
import { createHarness } from '../../support/engine-harness'

let h = createHarness()
afterEach(async () => {
  await h.engine.closeAll()
  h = createHarness()
})
const builtIn = (id: string) => builtInExercises().find((e) => e.id === id)!
const api = () => createHandlers(h.engine, 'w1', { version: '1', platform: 'linux', host: 'preview' })

describe('request handlers', () => {
  it('answers bad input with EINVAL and the field, before any socket call', async () => {
    const r = await api()['tcp:listen']({ host: '127.0.0.1', port: 70000 } as never)
    expect(r).toMatchObject({ ok: false, code: 'EINVAL', field: 'port', reason: 'port-range' })
    expect(h.engine.size).toBe(0)
  })

  it('keeps the OS error code in the envelope', async () => {
    const a = await api()['tcp:listen']({ host: '127.0.0.1', port: 0 })
    expect(a.ok).toBe(true)
    const port = a.ok ? a.data.local!.port : 0
    const b = await api()['tcp:listen']({ host: '127.0.0.1', port })
    expect(b).toMatchObject({ ok: false, code: 'EADDRINUSE' })
    expect(b.ok ? '' : b.message).toMatch(/address already in use/i)
  })

  it('answers an unknown id with ENOENT and bad hex with EINVAL', async () => {
    expect(await api()['tcp:send']({ id: 'c99', data: 'x', encoding: 'utf-8' })).toMatchObject({
      ok: false,
      code: 'ENOENT',
    })
    const s = await api()['tcp:listen']({ host: '127.0.0.1', port: 0 })
    const c = await api()['tcp:connect']({ host: '127.0.0.1', port: s.ok ? s.data.local!.port : 0 })
    const id = c.ok ? c.data.id : ''
    await h.waitKind(id, 'connect')
    expect(await api()['tcp:send']({ id, data: '4g', encoding: 'hex' })).toMatchObject({
      ok: false,
      code: 'EINVAL',
      reason: 'hex-syntax',
    })
    expect(await api()['tcp:send']({ id, data: '41', encoding: 'hex' })).toEqual({ ok: true, data: { bytes: 1 } })
  })

  it('opens N clients with one connectMany call, each its own socket', async () => {
    const s = await api()['tcp:listen']({ host: '127.0.0.1', port: 0, backlog: 64 })
    const port = s.ok ? s.data.local!.port : 0
    const r = await api()['tcp:connectMany']({ host: '127.0.0.1', port, count: 20 })
    expect(r.ok && r.data.map((c) => c.kind)).toEqual(Array(20).fill('tcp-client'))
    const ids = r.ok ? r.data.map((c) => c.id) : []
    expect(new Set(ids).size).toBe(20)
    for (const id of ids) await h.waitKind(id, 'connect')
    await expect.poll(() => h.engine.list().filter((i) => i.kind === 'tcp-conn').length).toBe(20)
  })

  it('saving a file needs a host that can ask the user; the inspector and repeat are validated', async () => {
    expect(await api()['file:save']({ name: 'a.html', data: 'aGk=' })).toMatchObject({ ok: false, code: 'ENOTSUP' })
    expect(await api()['file:save']({ name: 'a.html', data: 'not base64!' })).toMatchObject({
      code: 'EINVAL',
      reason: 'base64',
    })
    expect(await api()['os:sockets']({ all: 'yes' } as never)).toMatchObject({ code: 'EINVAL', field: 'all' })
    const t = await api()['os:sockets']({})
    expect(t.ok && t.data.rows).toEqual([]) // this owner has no sockets yet
    expect(await api()['tcp:send']({ id: 'c1', data: 'x', encoding: 'utf-8', repeat: 1000 })).toMatchObject({
      code: 'EINVAL',
      field: 'repeat',
    })
  })

  it('describes the app and this machine', async () => {
    const info = await api()['app:info']()
    expect(info).toMatchObject({ ok: true, data: { host: 'preview', limits: { previewBytes: 4096 } } })
    const ifs = await api()['net:interfaces']()
    expect(ifs.ok && ifs.data.some((i) => i.address === '127.0.0.1' && i.internal)).toBe(true)
  })

  it('routes settings (in memory, or the host’s file with its start-up problem), pasted tables, exercises and the list', async () => {
    const a = api()
    const first = await a['settings:get']()
    expect(first.ok && 'problem' in first.data).toBe(false)
    expect(await a['settings:set']({ scale: 1.4 })).toMatchObject({ ok: true, data: { scale: 1.4 } })
    expect(await a['settings:get']()).toMatchObject({ ok: true, data: { settings: { scale: 1.4 } } })
    const kept = first.ok ? first.data.settings : undefined
    const host = createHandlers(
      h.engine,
      'w1',
      { version: '1', platform: 'linux', host: 'electron' },
      {
        settings: async () => ({ get: () => kept!, set: async () => kept!, problem: 'settings.json was not JSON' }),
      },
    )
    expect(await host['settings:get']()).toEqual({
      ok: true,
      data: { settings: kept, problem: 'settings.json was not JSON' },
    })

    const table = await a['os:parse']({ text: '  TCP    0.0.0.0:135    0.0.0.0:0    LISTENING    1\r\n' })
    expect(table).toMatchObject({ ok: true, data: { format: 'windows', rows: [{ state: 'LISTEN', pid: 1 }] } })
    expect(
      await a['os:parse']({ text: '  TCP    0.0.0.0:135    0.0.0.0:0    LISTENING    1', format: 'bsd' }),
    ).toMatchObject({
      ok: true,
      data: { format: 'bsd', rows: [] },
    })
    expect(await a['os:parse']({ text: 'hello' })).toMatchObject({
      ok: false,
      code: 'EINVAL',
      field: 'text',
      reason: 'not-a-table',
    })

    const ex = await a['check:exercises']()
    expect(ex.ok && ex.data.length).toBeGreaterThan(3)
    expect(await a['backlog:mode']()).toMatchObject({ ok: true, data: { platform: process.platform } })
    const u = await a['udp:bind']({ host: '127.0.0.1', port: 0 })
    const listed = await a['socket:list']()
    expect(listed.ok && listed.data.map((i) => i.id)).toEqual([u.ok ? u.data.id : '?'])
  })
})

describe('every channel reaches the engine', () => {
  const unwrap = <T>(r: { ok: true; data: T } | { ok: false; message: string }): T => {
    if (!r.ok) throw new Error(r.message)
    return r.data
  }

  it('TCP: shutdown, received, reset and close act on the socket named', async () => {
    const a = api()
    const s = unwrap(await a['tcp:listen']({ host: '127.0.0.1', port: 0 }))
    const c = unwrap(await a['tcp:connect']({ host: '127.0.0.1', port: s.local!.port, capture: true }))
    await h.waitKind(c.id, 'connect')
    const { conn } = await h.waitKind(s.id, 'connection')
    unwrap(await a['tcp:send']({ id: conn, data: '你好', encoding: 'utf-8' }))
    await h.waitBytes(c.id, 6)
    expect(unwrap(await a['tcp:received']({ id: c.id }))).toMatchObject({ bytes: 6, complete: true })
    unwrap(await a['tcp:shutdown']({ id: c.id }))
    await h.waitKind(conn, 'end')
    unwrap(await a['tcp:reset']({ id: conn }))
    expect((await h.waitKind(conn, 'close')).reset).toBe(true)
    unwrap(await a['socket:close']({ id: s.id }))
    await h.waitKind(s.id, 'close')
  })

  it('UDP: connect, send and the loss experiment', async () => {
    const a = api()
    const rx = unwrap(await a['udp:bind']({ host: '127.0.0.1', port: 0 }))
    const tx = unwrap(await a['udp:bind']({ host: '127.0.0.1', port: 0 }))
    expect(unwrap(await a['udp:connect']({ id: tx.id, host: '127.0.0.1', port: rx.local!.port })).remote).toMatchObject(
      {
        port: rx.local!.port,
      },
    )
    expect(unwrap(await a['udp:send']({ id: tx.id, data: 'hi', encoding: 'utf-8' }))).toEqual({ bytes: 2 })
    await h.waitKind(rx.id, 'data')
    expect(unwrap(await a['udp:flood']({ count: 20, size: 64, burst: 5, recvBufferBytes: 1 << 20 }))).toMatchObject({
      sent: 20,
      received: 20,
    })
  })

  it('the backlog demo, the inspector, the neighbour table and the checker', async () => {
    const a = api()
    const b = unwrap(await a['backlog:listen']({ host: '127.0.0.1', port: 0, backlog: 2 }))
    expect(b.kind).toBe('tcp-server')
    // all: every socket on the machine, so at least the demo's own listener
    const all = unwrap(await a['os:sockets']({ all: true }))
    expect(all.rows.some((r) => r.local.port === b.local!.port)).toBe(true)
    expect(Array.isArray(unwrap(await a['os:neighbors']()).rows)).toBe(true)
    const ex = unwrap(await a['check:exercises']()).find((e) => e.id === 'threaded-hello-client')!
    const parsed = unwrap(await a['check:parse']({ text: JSON.stringify(ex), file: 'mine.json' }))
    expect(parsed).toMatchObject({ ok: true, exercise: { id: 'threaded-hello-client' } })
    const run = unwrap(await a['check:clients']({ exercise: ex, host: '127.0.0.1', port: 0 }))
    expect(run.port).toBeGreaterThan(0)
    unwrap(await a['check:stop']({ run: run.run }))
    const students = [{ key: 's1', name: '小文', host: '127.0.0.1', port: run.port! }] // stopped: nothing listens there now
    const srv = unwrap(await a['check:servers']({ exercise: builtIn('threaded-hello'), lists: {}, students }))
    expect(srv.run).toMatch(/^k\d+$/)
    expect(srv.run).not.toBe(run.run)
    unwrap(await a['check:stop']({ run: srv.run }))
  })

  it('saves a file through the host that can ask the user', async () => {
    const saved: string[] = []
    const a = createHandlers(
      h.engine,
      'w1',
      { version: '1', platform: 'linux', host: 'electron' },
      { saveFile: async (r) => (saved.push(r.name), { path: `/tmp/${r.name}` }) },
    )
    expect(await a['file:save']({ name: 'a.html', data: 'aGk=' })).toEqual({ ok: true, data: { path: '/tmp/a.html' } })
    expect(saved).toEqual(['a.html'])
  })
})
