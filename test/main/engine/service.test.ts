import { afterEach, describe, expect, it } from 'vitest'
import { createHandlers } from '../../../src/main/engine/service'
import { createHarness } from '../../support/engine-harness'

let h = createHarness()
afterEach(async () => {
  await h.engine.closeAll()
  h = createHarness()
})
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
