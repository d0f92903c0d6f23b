/**
 * The browser preview: serves the built renderer and a local bridge that implements the
 * preload API on the real engine, so the whole UI runs in a browser with real sockets.
 *
 * Safety: it binds to 127.0.0.1 only; every bridge request needs the random token from the
 * URL; the Host header must name this server (no DNS rebinding); each page (one EventSource)
 * owns its sockets, which close when the page goes.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { CHANNELS, type Channel, type LabHandlers } from '../shared/contract'
import { EventRouter } from '../main/engine/batcher'
import { SocketEngine } from '../main/engine/engine'
import { createHandlers } from '../main/engine/service'
import { openSettings, type SettingsFile } from '../main/settings-file'
import { DEFAULT_SETTINGS } from '../shared/settings'

export interface PreviewOptions {
  root: string
  port?: number
  token?: string
  version?: string
  /** Where settings persist; in memory when not given (tests). */
  settingsDir?: string
}

export interface PreviewServer {
  url: string
  port: number
  token: string
  engine: SocketEngine
  /** Live pages (EventSource connections). */
  pages(): number
  /** Back to the default settings (tests start each page from them). */
  resetSettings(): Promise<void>
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}
const MAX_BODY = 4 * 1024 * 1024

function sameToken(a: string | undefined, b: string): boolean {
  if (!a || a.length !== b.length) return false
  return timingSafeEqual(Buffer.from(a), Buffer.from(b))
}

function send(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
  res.end(body)
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0
    const parts: Buffer[] = []
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new Error('request body too large'))
        req.destroy()
      } else parts.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')))
    req.on('error', reject)
  })
}

export async function startPreview(opts: PreviewOptions): Promise<PreviewServer> {
  const root = resolve(opts.root)
  const token = opts.token ?? randomBytes(16).toString('hex')
  const router = new EventRouter()
  const engine = new SocketEngine(router.push, opts.settingsDir ? { certDir: join(opts.settingsDir, 'tls') } : {})
  const pages = new Map<string, { handlers: LabHandlers; res: http.ServerResponse }>()
  let settings: Promise<SettingsFile> | undefined
  const settingsDir = opts.settingsDir
    ? (): Promise<SettingsFile> => (settings ??= openSettings(opts.settingsDir!))
    : undefined
  let pageSeq = 0
  let port = 0

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const host = req.headers.host ?? ''
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, 421, 'wrong host')
    if (url.pathname === '/bridge/events' && req.method === 'GET') return events(url, req, res)
    if (url.pathname.startsWith('/bridge/call/') && req.method === 'POST') return void call(url, req, res)
    if (req.method === 'GET' || req.method === 'HEAD') return void file(url, res)
    send(res, 405, 'method not allowed')
  })

  function events(url: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!sameToken(url.searchParams.get('token') ?? undefined, token)) return send(res, 403, 'bad token')
    const owner = `p${++pageSeq}`
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
    res.write(`event: hello\ndata: ${JSON.stringify({ owner })}\n\n`)
    router.attach(owner, (batch) => {
      if (!res.writableEnded) res.write(`data: ${JSON.stringify(batch)}\n\n`)
    })
    pages.set(owner, {
      res,
      handlers: createHandlers(
        engine,
        owner,
        { version: opts.version ?? '0.0.0', platform: process.platform, host: 'preview' },
        settingsDir ? { settings: settingsDir } : {},
      ),
    })
    // The page went (closed, reloaded): its sockets go with it.
    req.on('close', () => {
      pages.delete(owner)
      router.detach(owner)
      void engine.closeOwner(owner)
    })
  }

  async function call(url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const tok = req.headers['x-lab-token']
    if (!sameToken(typeof tok === 'string' ? tok : undefined, token)) return send(res, 403, 'bad token')
    const page = pages.get(String(req.headers['x-lab-owner'] ?? ''))
    if (!page) return send(res, 409, 'unknown page: open the event stream first')
    const channel = decodeURIComponent(url.pathname.slice('/bridge/call/'.length)) as Channel
    if (!(CHANNELS as readonly string[]).includes(channel)) return send(res, 404, 'unknown operation')
    let body: unknown
    try {
      const text = await readBody(req)
      body = text ? JSON.parse(text) : undefined
    } catch (e) {
      return send(res, 400, JSON.stringify({ ok: false, code: 'EINVAL', message: String(e) }), 'application/json')
    }
    const result = await (page.handlers[channel] as (r: unknown) => Promise<unknown>)(body ?? undefined)
    send(res, 200, JSON.stringify(result), 'application/json')
  }

  async function file(url: URL, res: http.ServerResponse): Promise<void> {
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '')
    const path = join(root, rel || 'index.html')
    if (path !== root && !path.startsWith(root + sep)) return send(res, 403, 'forbidden')
    try {
      const data = await readFile(path)
      res.writeHead(200, {
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      })
      res.end(data)
    } catch {
      send(res, 404, 'not found')
    }
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok())
  })
  port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}/?token=${token}`

  return {
    url,
    port,
    token,
    engine,
    pages: () => pages.size,
    async resetSettings() {
      if (!settingsDir) return
      await (await settingsDir()).set(DEFAULT_SETTINGS) // (its version field is ignored in a change)
    },
    async close() {
      // What is queued still reaches the pages, then their streams end (never a write after end).
      router.dispose()
      for (const { res } of pages.values()) res.end()
      await engine.closeAll()
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
