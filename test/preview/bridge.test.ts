import http from 'node:http'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LabEvent } from '../../src/shared/contract'
import { startPreview, type PreviewServer } from '../../src/preview/server'
import { until, within } from '../support/until'

let preview: PreviewServer
beforeEach(async () => {
  const root = mkdtempSync(join(tmpdir(), 'lab-preview-'))
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>lab</title>')
  preview = await startPreview({ root })
})
afterEach(() => preview.close())

function request(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: preview.port, path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (d: string) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

/** Opens the page's event stream; resolves with its owner id and the events seen so far. */
function openPage() {
  const events: LabEvent[] = []
  let ended!: Promise<void>
  return new Promise<{ owner: string; events: LabEvent[]; close: () => void; ended: Promise<void> }>(
    (resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: preview.port, path: `/bridge/events?token=${preview.token}` },
        (res) => {
          ended = new Promise<void>((r) => res.once('end', () => r()))
          let buf = ''
          res.setEncoding('utf8').on('data', (d: string) => {
            buf += d
            let i: number
            while ((i = buf.indexOf('\n\n')) >= 0) {
              const msg = buf.slice(0, i)
              buf = buf.slice(i + 2)
              const data = msg
                .split('\n')
                .find((l) => l.startsWith('data: '))!
                .slice(6)
              if (msg.startsWith('event: hello'))
                resolve({
                  owner: (JSON.parse(data) as { owner: string }).owner,
                  events,
                  close: () => req.destroy(),
                  ended,
                })
              else events.push(...(JSON.parse(data) as LabEvent[]))
            }
          })
        },
      )
      req.on('error', reject)
    },
  )
}

const call = (owner: string, channel: string, body: unknown, token = preview.token) =>
  request(`/bridge/call/${channel}`, {
    method: 'POST',
    headers: { 'x-lab-token': token, 'x-lab-owner': owner, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('the preview bridge', () => {
  it('serves the renderer on 127.0.0.1 with a token in the URL', async () => {
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}$/)
    const r = await request('/')
    expect(r.status).toBe(200)
    expect(r.body).toContain('<title>lab</title>')
    expect((await request('/../../etc/passwd')).status).toBeGreaterThanOrEqual(403)
  })

  it('refuses requests without the token or for another Host (DNS rebinding)', async () => {
    expect((await request('/bridge/events')).status).toBe(403)
    const page = await openPage()
    expect((await call(page.owner, 'app:info', null, 'f'.repeat(32))).status).toBe(403)
    expect((await request('/', { headers: { host: `evil.example:${preview.port}` } })).status).toBe(421)
    expect((await call('p999', 'app:info', null)).status).toBe(409)
    expect((await call(page.owner, 'shell:exec', null)).status).toBe(404)
    page.close()
  })

  it('runs the same API on the real engine and streams its events', async () => {
    const page = await openPage()
    const info = JSON.parse((await call(page.owner, 'app:info', null)).body)
    expect(info).toMatchObject({ ok: true, data: { host: 'preview' } })
    const s = JSON.parse((await call(page.owner, 'tcp:listen', { host: '127.0.0.1', port: 0 })).body)
    expect(s.ok).toBe(true)
    const c = JSON.parse((await call(page.owner, 'tcp:connect', { host: '127.0.0.1', port: s.data.local.port })).body)
    await until(() => page.events.some((e) => e.kind === 'connect' && e.id === c.data.id))
    expect(
      JSON.parse((await call(page.owner, 'tcp:send', { id: c.data.id, data: 'hi', encoding: 'utf-8' })).body),
    ).toEqual({ ok: true, data: { bytes: 2 } })
    await until(() =>
      page.events.some((e) => e.kind === 'data' && Buffer.from(e.preview, 'base64').toString() === 'hi'),
    )
    const bad = JSON.parse((await call(page.owner, 'tcp:listen', { host: '127.0.0.1', port: -1 })).body)
    expect(bad).toMatchObject({ ok: false, code: 'EINVAL', field: 'port' })
    page.close()
  })

  it('closes with events still queued for a page: they are sent, then the stream ends (no write after end)', async () => {
    const page = await openPage()
    const s = JSON.parse((await call(page.owner, 'tcp:listen', { host: '127.0.0.1', port: 0 })).body)
    for (let i = 0; i < 5; i++) await call(page.owner, 'tcp:connect', { host: '127.0.0.1', port: s.data.local.port })
    // Queued in the batcher (not yet flushed) when the preview closes; closing the sockets
    // makes more events after the streams would have ended.
    await preview.close()
    await within(page.ended, 2000, 'the event stream did not end') // ended by the server, not cut
    // What was queued reached the page before the end: the server's listening, every dial.
    expect(page.events.filter((e) => e.kind === 'listening' && e.id === s.data.id)).toHaveLength(1)
    expect(page.events.filter((e) => e.kind === 'connecting')).toHaveLength(5)
    expect(preview.engine.size).toBe(0)
    page.close()
  })

  it("keeps pages apart and closes a page's sockets when it goes", async () => {
    const a = await openPage()
    const b = await openPage()
    const u = JSON.parse((await call(a.owner, 'udp:bind', { host: '127.0.0.1', port: 0 })).body)
    expect(JSON.parse((await call(b.owner, 'socket:close', { id: u.data.id })).body)).toMatchObject({
      ok: false,
      code: 'ENOENT',
    })
    expect(preview.engine.size).toBe(1)
    a.close()
    await until(() => preview.engine.size === 0 && preview.pages() === 1)
    b.close()
  })
})
