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
})
